import Foundation

/// PCA over session event-count vectors (Xu et al., SOSP 2009, as loglizer does it): counts
/// weighted by TF-IDF (optional) and centred; the principal components that explain 95% of the
/// variance span the normal space, and a session's squared prediction error (SPE, its distance
/// from that space) above the Q-statistic threshold (Jackson and Mudholkar 1979, α = 0.001),
/// and above all but `trainingShare` of the training sessions' own SPEs, is anomalous.
public struct CountVectorPCA: Sendable, Codable {
  /// The columns: template ids.
  public private(set) var columns: [String]
  /// Inverse document frequencies per column (all 1 without TF-IDF).
  var idf: [Double]
  var means: [Double]
  /// The residual projector's basis: the normal-space axes, `width` values each.
  var axes: [Double]
  /// The threshold on the SPE: the Q-statistic, or the training sessions' own SPE quantile
  /// when that is higher (see ``init(_:columns:tfidf:variance:trainingShare:)``).
  public private(set) var threshold: Double
  /// The Q-statistic alone.
  public private(set) var qStatistic: Double
  /// Components kept.
  public private(set) var components: Int
  /// Whether counts are TF-IDF weighted.
  public private(set) var tfidf: Bool

  /// Fits on count vectors.
  /// - Parameters:
  ///   - counts: one row per session, one column per template of `columns`.
  ///   - columns: the template ids of the columns.
  ///   - tfidf: weight counts by inverse document frequency.
  ///   - variance: the share of variance the normal space keeps.
  public init(
    _ counts: FeatureMatrix, columns: [String], tfidf: Bool = true, variance: Double = 0.95,
    trainingShare: Double = 0.01
  ) {
    self.columns = columns
    self.tfidf = tfidf
    let width = columns.count
    let rows = max(counts.rowCount, 1)
    var documentCounts = [Double](repeating: 0, count: width)
    for row in 0..<counts.rowCount {
      for column in 0..<width where counts[row, column] > 0 { documentCounts[column] += 1 }
    }
    idf = documentCounts.map { tfidf ? log(Double(rows) / max($0, 1)) + 1 : 1 }
    let matrix = Self.weighted(counts, idf: idf)
    let principal = PrincipalAxes(matrix)
    means = principal.means
    let total = max(principal.variances.reduce(0, +), 1e-300)
    var kept = 0
    var explained = 0.0
    while kept < width, explained / total < variance {
      explained += max(0, principal.variances[kept])
      kept += 1
    }
    components = kept
    axes = Array(principal.axes.prefix(kept * width))
    // Q-statistic from the residual eigenvalues.
    let residual = principal.variances.dropFirst(kept).map { max(0, $0) }
    let theta1 = residual.reduce(0, +)
    let theta2 = residual.reduce(0) { $0 + $1 * $1 }
    let theta3 = residual.reduce(0) { $0 + $1 * $1 * $1 }
    if theta1 > 0, theta2 > 0 {
      let h0 = 1 - 2 * theta1 * theta3 / (3 * theta2 * theta2)
      let c = 3.0902  // the standard normal's 1 − α quantile for α = 0.001
      let inner =
        c * (2 * theta2 * h0 * h0).squareRoot() / theta1 + 1
        + theta2 * h0 * (h0 - 1) / (theta1 * theta1)
      threshold = theta1 * pow(max(inner, 0), 1 / max(h0, 1e-6))
    } else {
      threshold = 1e-9
    }
    threshold = max(threshold, 1e-9)
    qStatistic = threshold
    // Event counts are not Gaussian, and the Q-statistic alone flags a few percent of normal
    // sessions; the threshold is at least the SPE that only `trainingShare` of the training
    // sessions exceed.
    let trainingErrors = errors(counts.sampledRows(100_000)).sorted()
    if !trainingErrors.isEmpty {
      let index = min(
        trainingErrors.count - 1, Int(Double(trainingErrors.count) * (1 - trainingShare)))
      threshold = max(threshold, trainingErrors[index])
    }
  }

  static func weighted(_ counts: FeatureMatrix, idf: [Double]) -> FeatureMatrix {
    let width = counts.columnCount
    var values = counts.values
    for row in 0..<counts.rowCount {
      for column in 0..<width { values[row * width + column] *= idf[column] }
    }
    return FeatureMatrix(columns: counts.columns, values: values, rowCount: counts.rowCount)
  }

  /// Each session's squared prediction error (`counts` has this model's columns).
  public func errors(_ counts: FeatureMatrix) -> [Double] {
    let width = columns.count
    let matrix = Self.weighted(counts, idf: idf)
    return (0..<matrix.rowCount).map { row in
      var centred = (0..<width).map { matrix.values[row * width + $0] - means[$0] }
      for component in 0..<components {
        var projection = 0.0
        for column in 0..<width { projection += axes[component * width + column] * centred[column] }
        for column in 0..<width { centred[column] -= projection * axes[component * width + column] }
      }
      return centred.reduce(0) { $0 + $1 * $1 }
    }
  }
}
