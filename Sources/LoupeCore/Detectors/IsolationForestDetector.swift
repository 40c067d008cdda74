import Foundation

/// Scores every record with an ``IsolationForest`` over the record features and flags those
/// above the threshold (``OutlierThreshold``): with 'auto', the higher of scikit-learn's 0.5 and
/// the input's 99th-percentile score, since on log features scikit-learn's 0.5 alone flags a
/// third of a typical file, which buries the real outliers. The forest itself
/// (``IsolationForest``) keeps scikit-learn's scores, so 0.5 means what it means there. The reason names the features on which the
/// record is furthest from the typical record (robust z-score: distance to the median in
/// median absolute deviations).
public struct IsolationForestDetector: Detector {
  /// `iforest`.
  public let name = "iforest"
  /// Trees in the forest.
  public var treeCount = 100
  /// Rows per tree.
  public var maxSamples = 256

  /// Creates the detector with scikit-learn's defaults.
  public init() {}

  /// Fits on the input's features and scores them.
  public func detect(_ input: DetectionInput) -> DetectorReport {
    let matrix = input.features
    var parameters = [
      "trees": String(treeCount), "max_samples": String(min(maxSamples, matrix.rowCount)),
      "features": matrix.columns.joined(separator: ","),
      "contamination": input.contamination.map { String($0) } ?? "auto",
    ]
    guard matrix.rowCount >= 8 else {
      return .skipped(name, parameters, because: "fewer than 8 records")
    }
    let forest: IsolationForest
    let scores: [Double]
    let threshold: Double
    if let trained = input.model?.recordForest, trained.columns == matrix.columns {
      // The model's forest and its training cut (a share, when given, applies to this input).
      forest = trained.forest
      scores = forest.scores(matrix)
      threshold =
        input.contamination == nil
        ? trained.cut : OutlierThreshold.cut(scores, contamination: input.contamination)
      parameters["model"] = "trained forest"
    } else {
      if input.model?.recordForest != nil {
        parameters["model"] = "not used: this input's features differ from the training input's"
      }
      forest = IsolationForest(
        matrix: matrix, treeCount: treeCount, maxSamples: maxSamples, seed: input.seed)
      scores = forest.scores(matrix)
      threshold = OutlierThreshold.cut(scores, contamination: input.contamination)
    }
    parameters["threshold"] = String(format: "%.4f", threshold)
    let hits = RoutineWeight.context(
      OutlierThreshold.hits(
        scores, above: threshold, features: matrix, records: input.records.count
      ) { "isolated quickly by the forest (score \(String(format: "%.2f", scores[$0])))" }, input)
    return DetectorReport(name: name, parameters: parameters, hits: hits, scores: scores)
  }
}
