import Foundation

/// Scores every record by how badly an ``Autoencoder`` trained on the standardised record
/// features reproduces it, and flags those above ``OutlierThreshold``.
///
/// The network trains on at most `maximumTrainingRows` records (an even sample beyond) and
/// scores all. A record's score is `1 − 2^(−e / e₉₉)`, where `e` is its reconstruction error and
/// `e₉₉` the 99th percentile of the errors on the held-out validation rows: an error at that
/// percentile scores 0.5, twice it 0.75, four times it 0.94.
public struct AutoencoderDetector: Detector {
  /// `autoencoder`.
  public let name = "autoencoder"
  /// The network's settings.
  public var settings = Autoencoder.Settings()
  /// The most records the network trains on.
  public var maximumTrainingRows = 100_000

  /// Creates the detector with the default network.
  public init() {}

  /// Trains on the input's features and scores them.
  public func detect(_ input: DetectionInput) -> DetectorReport {
    var parameters = [
      "layers": ([input.features.columnCount] + settings.hidden + [input.features.columnCount])
        .map(String.init).joined(separator: "-"),
      "features": input.features.columns.joined(separator: ","),
      "contamination": input.contamination.map { String($0) } ?? "auto",
    ]
    guard input.features.rowCount >= 50 else {
      return .skipped(name, parameters, because: "fewer than 50 records")
    }
    let standardizer = Standardizer(fitting: input.features)
    let matrix = standardizer.transform(input.features)
    let network = Autoencoder(
      training: matrix.sampledRows(maximumTrainingRows), settings: settings, seed: input.seed)
    let errors = network.reconstructionErrors(matrix)
    let reference = Self.reference(network.validationErrors)
    let scores = errors.map { Self.score(error: $0, reference: reference) }
    let threshold = OutlierThreshold.cut(scores, contamination: input.contamination)
    parameters["epochs"] = String(network.epochs)
    parameters["validation_error"] = String(format: "%.4g", network.validationError)
    parameters["threshold"] = String(format: "%.4f", threshold)
    let hits = RoutineWeight.context(
      OutlierThreshold.hits(
        scores, above: threshold, features: input.features, records: input.records.count
      ) {
        "reconstructed badly by the autoencoder (error " + String(format: "%.2g", errors[$0])
          + ", \(String(format: "%.1f", errors[$0] / reference))× the usual worst)"
      }, input)
    return DetectorReport(name: name, parameters: parameters, hits: hits, scores: scores)
  }

  /// The 99th percentile of the sorted validation errors (never 0).
  static func reference(_ sortedErrors: [Double]) -> Double {
    guard !sortedErrors.isEmpty else { return 1e-9 }
    let index = min(sortedErrors.count - 1, Int(Double(sortedErrors.count) * 0.99))
    return max(sortedErrors[index], 1e-9)
  }

  /// `1 − 2^(−error / reference)`.
  static func score(error: Double, reference: Double) -> Double {
    1 - exp2(-error / reference)
  }
}
