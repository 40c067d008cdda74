import Foundation

/// Records and findings per group — the record's component (or process, or host) by default,
/// or a field named with `--group-by` (e.g. `Basename`) — for `STEM_summary.csv` and the
/// report's heatmaps.
public struct GroupCounts: Sendable {
  /// The group of each record (`(none)` when it has no value).
  public var groupOf: [String]
  /// The name of what groups are (the field, or `component`).
  public var field: String

  /// Computes each record's group.
  public init(_ result: AnalysisResult, groupBy: String?) {
    let records = result.read.records
    let buffer = result.read.buffer
    if let groupBy, !["component", "process"].contains(groupBy.lowercased()) {
      var lookup = FieldLookup(groupBy)
      groupOf = records.map { record in
        lookup.value(in: record).map { SecretScanner.redact(buffer.string($0)) } ?? "(none)"
      }
      field = groupBy
    } else {
      var host = FieldLookup("host")
      var cache: [UInt64: String] = [:]
      groupOf = buffer.bytes.withUnsafeBufferPointer { bytes in
        records.map { record -> String in
          guard let ref = record.component ?? record.process ?? host.value(in: record) else {
            return "(none)"
          }
          let key = Hashing.fnv1a(bytes, ref.span)
          if let known = cache[key] { return known }
          let text = SecretScanner.redact(buffer.string(ref))
          cache[key] = text
          return text
        }
      }
      field = groupBy ?? "component"
    }
  }

  /// `STEM_summary.csv`: `group,records,anomalies,anomaly_rate,critical,high,medium,low`, the
  /// groups with most anomalies first.
  public func csv(_ result: AnalysisResult) -> String {
    var records: [String: Int] = [:]
    for group in groupOf { records[group, default: 0] += 1 }
    var severities: [String: [Severity: Int]] = [:]
    for finding in result.findings {
      severities[groupOf[finding.record], default: [:]][finding.severity, default: 0] += 1
    }
    func anomalies(_ group: String) -> Int { severities[group]?.values.reduce(0, +) ?? 0 }
    let ordered = records.keys.sorted {
      (anomalies($0), records[$0] ?? 0, $1) > (anomalies($1), records[$1] ?? 0, $0)
    }
    var output =
      "\(TextEscaping.csv(field)),records,anomalies,anomaly_rate,critical,high,medium,low\n"
    for group in ordered {
      let count = records[group] ?? 0
      let bad = anomalies(group)
      let levels = [Severity.critical, .high, .medium, .low].map {
        String(severities[group]?[$0] ?? 0)
      }
      output +=
        "\(TextEscaping.csv(group)),\(count),\(bad),\(String(format: "%.4f", Double(bad) / Double(max(count, 1)))),"
        + levels.joined(separator: ",") + "\n"
    }
    return output
  }
}
