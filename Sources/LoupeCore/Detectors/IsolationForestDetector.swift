import Foundation

/// Scores every record with an ``IsolationForest`` over the record features and flags those
/// above the threshold. With a `contamination` share, the threshold is the score that leaves
/// that share of records above it. With 'auto', it is the higher of scikit-learn's 0.5 and the
/// input's 99th-percentile score: on log features scikit-learn's 0.5 alone flags a third of a
/// typical file, which buries the real outliers. The reason names the features on which the
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
      parameters["skipped"] = "fewer than 8 records"
      return DetectorReport(name: name, parameters: parameters, hits: [], scores: nil)
    }
    let forest = IsolationForest(
      matrix: matrix, treeCount: treeCount, maxSamples: maxSamples, seed: input.seed)
    let scores = forest.scores(matrix)
    let threshold = Self.threshold(scores, contamination: input.contamination)
    parameters["threshold"] = String(format: "%.4f", threshold)
    let profile = ColumnStatistics(matrix)
    var hits: [DetectorHit] = []
    for (row, score) in scores.enumerated() where score > threshold {
      let reason =
        "isolated quickly by the forest (score \(String(format: "%.2f", score))): "
        + profile.explain(
          row: row, in: matrix, templates: input.templates, records: input.records.count)
      hits.append(DetectorHit(record: row, score: score, reason: reason, tags: ["statistical"]))
    }
    return DetectorReport(name: name, parameters: parameters, hits: hits, scores: scores)
  }

  /// The share of records that 'auto' allows at most.
  static let autoShare = 0.01

  /// The score above which at most `contamination` of the scores lie (rows tied at the cut are
  /// not flagged, as in scikit-learn); for 'auto' (`nil`), the higher of 0.5 and the score
  /// above which at most 1% lie.
  static func threshold(_ scores: [Double], contamination: Double?) -> Double {
    guard !scores.isEmpty else { return 0.5 }
    let sorted = scores.sorted()
    func quantileCut(_ share: Double) -> Double {
      let flagged = Int(Double(sorted.count) * min(share, 0.5))
      return sorted[max(0, sorted.count - flagged - 1)]
    }
    guard let contamination, contamination > 0 else { return max(0.5, quantileCut(autoShare)) }
    return quantileCut(contamination)
  }
}

/// Per-column medians and spreads, to say in words why a row is unusual.
struct ColumnStatistics {
  var medians: [Double]
  var spreads: [Double]

  /// Statistics from at most 65,536 rows, taken at an even stride (deterministic).
  init(_ matrix: FeatureMatrix) {
    medians = []
    spreads = []
    let stride = max(1, matrix.rowCount / 65_536)
    for column in 0..<matrix.columnCount {
      var values = Swift.stride(from: 0, to: matrix.rowCount, by: stride).map { matrix[$0, column] }
      values.sort()
      let median = values.isEmpty ? 0 : values[values.count / 2]
      var deviations = values.map { abs($0 - median) }
      deviations.sort()
      let mad = deviations.isEmpty ? 0 : deviations[deviations.count / 2]
      let mean = values.reduce(0, +) / Double(max(values.count, 1))
      let meanDeviation = values.reduce(0) { $0 + abs($1 - mean) } / Double(max(values.count, 1))
      medians.append(median)
      spreads.append(mad > 0 ? mad * 1.4826 : max(meanDeviation, 1e-9))
    }
  }

  /// The two features on which `row` deviates most, in words.
  func explain(row: Int, in matrix: FeatureMatrix, templates: TemplateMiner.Result, records: Int)
    -> String
  {
    var deviations: [(column: Int, z: Double)] = []
    for column in 0..<matrix.columnCount {
      let z = abs(matrix[row, column] - medians[column]) / spreads[column]
      if z > 1.5 { deviations.append((column, z)) }
    }
    deviations.sort { $0.z > $1.z || ($0.z == $1.z && $0.column < $1.column) }
    if deviations.isEmpty { return "an unusual combination of features" }
    return deviations.prefix(2).map {
      describe($0.column, row: row, matrix: matrix, records: records)
    }
    .joined(separator: "; ")
  }

  private func describe(_ column: Int, row: Int, matrix: FeatureMatrix, records: Int) -> String {
    let name = matrix.columns[column]
    let value = matrix[row, column]
    let typical = medians[column]
    func number(_ value: Double) -> String {
      value == value.rounded() && abs(value) < 1e15
        ? String(Int(value)) : String(format: "%.3g", value)
    }
    switch name {
    case "length":
      return
        "message length \(number(expm1(value).rounded())) bytes (typical \(number(expm1(typical).rounded())))"
    case "tokens":
      return "\(number(value)) words (typical \(number(typical)))"
    case "level":
      let level = LogLevel(rawValue: Int(value))?.name ?? number(value)
      return "level \(level)"
    case "parameters":
      return "\(number(value)) variable parts (typical \(number(typical)))"
    case "template_rarity":
      let count = Double(records) / pow(2, value)
      return "rare message template (about \(number(count.rounded())) of \(records) records)"
    case "template_gap_seconds", "template_gap_records":
      let unit = name.hasSuffix("seconds") ? " s" : " records"
      return value > typical
        ? "long silence before this event (\(number(expm1(value).rounded()))\(unit) since the last one, typical \(number(expm1(typical).rounded()))\(unit))"
        : "repeats faster than usual (\(number(expm1(value).rounded()))\(unit) since the last one, typical \(number(expm1(typical).rounded()))\(unit))"
    case "status_class":
      return "HTTP status class \(number(value))xx"
    case "uri_length":
      return "URI length \(number(value)) (typical \(number(typical)))"
    case "suspicious_uri":
      return "suspicious URI"
    case "suspicious_agent":
      return "scanner user agent"
    default:
      let field = name.hasPrefix("num:") ? String(name.dropFirst(4)) : name
      func raw(_ scaled: Double) -> Double {
        guard matrix.logScaled[column] else { return scaled }
        return (scaled < 0 ? -expm1(-scaled) : expm1(scaled)).rounded()
      }
      return "unusual \(field) \(number(raw(value))) (typical \(number(raw(typical))))"
    }
  }
}
