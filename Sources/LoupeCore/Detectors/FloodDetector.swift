import Foundation

/// Reports floods: a template that suddenly dominates the records — at least `threshold`
/// (0.75) of a window of `window` (1,000) records, and at least twice its share of the whole
/// input. The score grows with the peak share, from 0.6 at the threshold to 0.95 at 100%. Windows slide by a quarter; overlapping flood windows of one template are one flood,
/// reported once (a finding on the flood's first record) with its count, span and template —
/// not as a thousand findings.
public struct FloodDetector: Detector {
  /// `flood`.
  public let name = "flood"
  /// Records per window.
  public var window = 1_000
  /// The share of a window that makes a flood.
  public var threshold = 0.75

  /// Creates the detector with the defaults.
  public init() {}

  /// One flood.
  public struct Flood: Sendable, Codable, Hashable {
    /// The template's id.
    public var templateId: String
    /// The template.
    public var template: String
    /// The flooding template's records in the flood's span.
    public var count: Int
    /// All records in the span.
    public var records: Int
    /// The span's first line.
    public var firstLine: Int
    /// The span's last line.
    public var lastLine: Int
    /// The span's first timestamp, when records have them.
    public var start: String?
    /// The span's last timestamp.
    public var end: String?
    /// The template's records expected in the span at its share of the whole input (absent
    /// from summaries written before it was added).
    public var expected: Double?
  }

  /// Finds the floods of the input.
  public func floods(_ input: DetectionInput) -> [(flood: Flood, firstRecord: Int, peak: Double)] {
    let total = input.records.count
    let size = min(window, max(100, total / 4))
    guard total >= 4 * size / 2, size >= 100 else { return [] }
    let step = max(1, size / 4)
    let assignments = input.templates.assignments
    var counts = [Int](repeating: 0, count: input.templates.templates.count)
    for index in 0..<size { counts[assignments[index]] += 1 }
    var spans: [(template: Int, start: Int, end: Int, peak: Double)] = []
    var start = 0
    while true {
      // The window [start, start + size).
      var best = 0
      var bestCount = 0
      var seen = Set<Int>()
      for index in start..<(start + size) where seen.insert(assignments[index]).inserted {
        if counts[assignments[index]] > bestCount {
          best = assignments[index]
          bestCount = counts[best]
        }
      }
      let share = Double(bestCount) / Double(size)
      let overall = Double(input.templates.templates[best].count) / Double(total)
      if share >= threshold && share >= 2 * overall {
        if let last = spans.last, last.template == best, last.end >= start {
          spans[spans.count - 1].end = start + size
          spans[spans.count - 1].peak = max(last.peak, share)
        } else {
          spans.append((best, start, start + size, share))
        }
      }
      let next = start + step
      guard next + size <= total else { break }
      for index in start..<next { counts[assignments[index]] -= 1 }
      for index in (start + size)..<(next + size) { counts[assignments[index]] += 1 }
      start = next
    }
    return spans.map { span in
      let records = input.records
      let members = (span.start..<span.end).filter { assignments[$0] == span.template }
      let first = members.first ?? span.start
      let stamps = (span.start..<span.end).compactMap { records[$0].timestamp }
      let template = input.templates.templates[span.template]
      let flood = Flood(
        templateId: template.id, template: SecretScanner.redact(template.text),
        count: members.count,
        records: span.end - span.start, firstLine: records[span.start].line,
        lastLine: records[span.end - 1].line, start: stamps.min().map(TimestampFormatter.iso8601),
        end: stamps.max().map(TimestampFormatter.iso8601),
        expected: (Double(template.count) * Double(span.end - span.start) / Double(total) * 10)
          .rounded() / 10)
      return (flood, first, span.peak)
    }
  }

  /// Reports each flood once, on its first record.
  public func detect(_ input: DetectionInput) -> DetectorReport {
    var parameters = ["window": String(window), "threshold": String(threshold)]
    let found = floods(input)
    parameters["floods"] = String(found.count)
    let hits = found.map { item in
      let score = min(0.95, 0.6 + 0.35 * max(0, item.peak - threshold) / (1 - threshold))
      var span = "lines \(item.flood.firstLine)–\(item.flood.lastLine)"
      if let start = item.flood.start, let end = item.flood.end { span += ", \(start) to \(end)" }
      let percent = Int((item.peak * 100).rounded())
      return DetectorHit(
        record: item.firstRecord, score: score,
        reason:
          "flood: \"\(item.flood.template)\" made \(item.flood.count) of \(item.flood.records) records (usual \(ReasonText.number(item.flood.expected ?? 0)); up to \(percent)% of a window, \(span))",
        tags: ["flood"])
    }
    return DetectorReport(
      name: name, parameters: parameters, hits: hits, scores: nil, floods: found.map(\.flood))
  }
}
