/// A dense row-major matrix of `Double` features: one row per record (or session), one
/// named column per feature.
public struct FeatureMatrix: Sendable {
  /// Column names, documented where the features are built.
  public var columns: [String]
  /// Row-major values: `values[row * columns.count + column]`.
  public var values: [Double]
  /// The number of rows.
  public var rowCount: Int
  /// For each column, whether it holds sign-preserving log(1 + |x|) of the raw values.
  public var logScaled: [Bool]

  /// Creates a matrix from row-major values.
  public init(columns: [String], values: [Double], rowCount: Int, logScaled: [Bool]? = nil) {
    self.columns = columns
    self.values = values
    self.rowCount = rowCount
    self.logScaled = logScaled ?? Array(repeating: false, count: columns.count)
  }

  /// The number of columns.
  @inlinable
  public var columnCount: Int { columns.count }

  /// The value at `row`, `column`.
  @inlinable
  public subscript(row: Int, column: Int) -> Double { values[row * columns.count + column] }

  /// One column's values.
  public func column(_ column: Int) -> [Double] {
    (0..<rowCount).map { self[$0, column] }
  }
}

extension FeatureMatrix {
  /// At most `limit` rows, taken at an even stride from the whole matrix (deterministic).
  public func sampledRows(_ limit: Int) -> FeatureMatrix {
    guard rowCount > limit, limit > 0 else { return self }
    var sampled: [Double] = []
    sampled.reserveCapacity(limit * columnCount)
    for index in 0..<limit {
      let row = index * rowCount / limit
      sampled += values[row * columnCount..<(row + 1) * columnCount]
    }
    return FeatureMatrix(columns: columns, values: sampled, rowCount: limit, logScaled: logScaled)
  }
}
