/// A record judged anomalous: its combined score, severity, the detectors that fired and why.
public struct Finding: Sendable, Hashable {
  /// The record's index in the input's records.
  public var record: Int
  /// The combined score in 0…1.
  public var score: Double
  /// The severity that the score maps to.
  public var severity: Severity
  /// The detectors that flagged the record, in run order.
  public var detectors: [String]
  /// The detectors' reasons, joined.
  public var reason: String
  /// The kinds of problem.
  public var tags: [String]
}

/// Combines detector hits into one finding per record.
///
/// Hits scoring below ``Scorer/findingThreshold`` (0.5) are not findings. The score is the
/// highest detector score plus 0.03 for each further detector that agrees, capped at 1:
/// agreement raises confidence without letting many weak signals outweigh one strong one.
public enum Scorer {
  /// The lowest score that makes a finding.
  public static let findingThreshold = 0.5

  /// Merges the reports into findings, ordered by line.
  /// - Parameter reports: the detectors' reports, in run order.
  /// - Returns: one finding per flagged record.
  public static func combine(_ reports: [DetectorReport]) -> [Finding] {
    var byRecord: [Int: [(String, DetectorHit)]] = [:]
    for report in reports {
      for hit in report.hits where hit.score >= findingThreshold {
        byRecord[hit.record, default: []].append((report.name, hit))
      }
    }
    return byRecord.keys.sorted().compactMap { record in
      guard let hits = byRecord[record], let top = hits.map(\.1.score).max() else { return nil }
      let score = min(1, top + 0.03 * Double(hits.count - 1))
      var tags: [String] = []
      for (_, hit) in hits { for tag in hit.tags where !tags.contains(tag) { tags.append(tag) } }
      return Finding(
        record: record, score: score, severity: Severity(score: score),
        detectors: hits.map(\.0),
        reason: hits.map { "\($0.0): \($0.1.reason)" }.joined(separator: " | "), tags: tags)
    }
  }
}
