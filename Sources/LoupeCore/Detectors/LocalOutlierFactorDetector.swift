import Foundation

/// Scores every record by its ``LocalOutlierFactor`` among the standardised record features
/// and flags those above ``OutlierThreshold``.
///
/// Up to `maximumTrainingRows` records the factors are the textbook ones over all records;
/// beyond, the index is built on an evenly spread sample of that many and every record is
/// scored against it (scikit-learn's novelty mode), which keeps the cost near-linear. Distances
/// below `minimumDistance` standard deviations count as that much: logs repeat records exactly,
/// and without a floor a near-copy of a repeated record would look infinitely isolated.
public struct LocalOutlierFactorDetector: Detector {
  /// `lof`.
  public let name = "lof"
  /// The neighbourhood size.
  public var k = 20
  /// The distance floor, in standard deviations.
  public var minimumDistance = 0.5
  /// The most records the index is built on.
  public var maximumTrainingRows = 50_000

  /// Creates the detector with k = 20.
  public init() {}

  /// Fits on the input's features and scores them.
  public func detect(_ input: DetectionInput) -> DetectorReport {
    var parameters = [
      "k": String(k), "minimum_distance": String(minimumDistance),
      "features": input.features.columns.joined(separator: ","),
      "contamination": input.contamination.map { String($0) } ?? "auto",
    ]
    guard input.features.rowCount > k else {
      return .skipped(name, parameters, because: "fewer than \(k + 1) records")
    }
    let standardizer = Standardizer(fitting: input.features)
    let matrix = standardizer.transform(input.features)
    let factors: [Double]
    if matrix.rowCount <= maximumTrainingRows {
      factors =
        LocalOutlierFactor(matrix, k: k, minimumDistance: minimumDistance)
        .trainingFactors
    } else {
      let sample = matrix.sampledRows(maximumTrainingRows)
      parameters["training_rows"] = String(sample.rowCount)
      factors = LocalOutlierFactor(sample, k: k, minimumDistance: minimumDistance)
        .factors(matrix)
    }
    let scores = factors.map { LocalOutlierFactor.score(factor: $0) }
    let threshold = OutlierThreshold.cut(scores, contamination: input.contamination)
    parameters["threshold"] = String(format: "%.4f", threshold)
    let hits = RoutineWeight.context(
      OutlierThreshold.hits(
        scores, above: threshold, features: input.features, records: input.records.count
      ) {
        "in a sparser neighbourhood than its \(k) nearest records (local outlier factor "
          + String(format: "%.2f", factors[$0]) + ")"
      }, input)
    return DetectorReport(name: name, parameters: parameters, hits: hits, scores: scores)
  }
}
