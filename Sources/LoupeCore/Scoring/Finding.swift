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
/// A hit counts when its score reaches its detector's `low` threshold
/// (``SeverityThresholds``). A record's score is the highest counting hit's score plus 0.03 for
/// each further detector that agrees, capped at 1: agreement raises confidence without letting
/// many weak signals outweigh one strong one. Its severity is the highest that any of its
/// detectors gives its own hit, by that detector's thresholds.
public enum Scorer {
  /// The lowest score that makes a finding under the standard thresholds.
  public static let findingThreshold = SeverityThresholds.standard.low

  /// Merges the reports into findings, ordered by line.
  /// - Parameters:
  ///   - reports: the detectors' reports, in run order.
  ///   - thresholds: per-detector severity thresholds that replace the defaults.
  /// - Returns: one finding per flagged record.
  public static func combine(
    _ reports: [DetectorReport], thresholds: [String: SeverityThresholds] = [:]
  ) -> [Finding] {
    var byRecord: [Int: [(String, DetectorHit, Severity)]] = [:]
    for report in reports {
      let levels = SeverityThresholds.forDetector(report.name, overrides: thresholds)
      for hit in report.hits {
        guard let severity = levels.severity(hit.score) else { continue }
        // One detector counts once per record: its strongest hit leads, its reasons join.
        if let same = byRecord[hit.record]?.firstIndex(where: { $0.0 == report.name }),
          var existing = byRecord[hit.record]?[same]
        {
          existing.1.reason += "; " + hit.reason
          if hit.score > existing.1.score {
            existing.1.score = hit.score
            existing.2 = severity
          }
          for tag in hit.tags where !existing.1.tags.contains(tag) { existing.1.tags.append(tag) }
          byRecord[hit.record]?[same] = existing
          continue
        }
        byRecord[hit.record, default: []].append((report.name, hit, severity))
      }
    }
    return byRecord.keys.sorted().compactMap { record in
      guard let hits = byRecord[record], let top = hits.map(\.1.score).max(),
        let severity = hits.map(\.2).max()
      else { return nil }
      let score = min(1, top + 0.03 * Double(hits.count - 1))
      var tags: [String] = []
      for (_, hit, _) in hits { for tag in hit.tags where !tags.contains(tag) { tags.append(tag) } }
      return Finding(
        record: record, score: score, severity: severity, detectors: hits.map(\.0),
        reason: hits.map { "\($0.0): \($0.1.reason)" }.joined(separator: " | "), tags: tags)
    }
  }
}
