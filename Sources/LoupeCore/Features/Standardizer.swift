import Foundation

/// Per-column centring and scaling, `(x − mean) / standard deviation`, as the distance- and
/// network-based detectors need; a constant column is only centred.
public struct Standardizer: Sendable, Codable, Hashable {
  /// The column means.
  public var means: [Double]
  /// The column standard deviations (1 for a constant column).
  public var deviations: [Double]

  /// Learns the means and deviations of `matrix`'s columns.
  public init(fitting matrix: FeatureMatrix) {
    let width = matrix.columnCount
    var sums = [Double](repeating: 0, count: width)
    var squares = [Double](repeating: 0, count: width)
    for row in 0..<matrix.rowCount {
      for column in 0..<width {
        let value = matrix.values[row * width + column]
        sums[column] += value
        squares[column] += value * value
      }
    }
    let count = Double(max(matrix.rowCount, 1))
    means = sums.map { $0 / count }
    deviations = (0..<width).map { column in
      let mean = sums[column] / count
      let variance = max(0, squares[column] / count - mean * mean)
      let deviation = variance.squareRoot()
      return deviation > 1e-12 * max(1, abs(mean)) ? deviation : 1
    }
  }

  /// `matrix` with every column standardised.
  public func transform(_ matrix: FeatureMatrix) -> FeatureMatrix {
    let width = matrix.columnCount
    var values = matrix.values
    for row in 0..<matrix.rowCount {
      for column in 0..<width {
        let index = row * width + column
        values[index] = (values[index] - means[column]) / deviations[column]
      }
    }
    return FeatureMatrix(
      columns: matrix.columns, values: values, rowCount: matrix.rowCount,
      logScaled: matrix.logScaled)
  }
}
