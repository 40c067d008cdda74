import Foundation
import LoupeCore

/// The short human summary printed after each input, with colour when the terminal allows.
struct TerminalSummary {
  var color: Bool

  private func paint(_ text: String, _ code: String) -> String {
    color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  private func paint(_ severity: Severity) -> String {
    switch severity {
    case .critical: paint("critical", "1;31")
    case .high: paint("high", "31")
    case .medium: paint("medium", "33")
    case .low: paint("low", "36")
    }
  }

  func render(_ outcome: BatchAnalysis.Outcome) -> String {
    let summary = outcome.summary
    var lines: [String] = []
    let unparsed = summary.unparsedRecords > 0 ? ", \(summary.unparsedRecords) unparsed" : ""
    lines.append(
      paint(outcome.name, "1") + ": \(summary.records) records in \(summary.lines) lines, format "
        + "\(summary.format)\(unparsed), \(summary.templates.unique) templates")
    let rate = String(format: "%.2f%%", summary.anomalyRate * 100)
    let bySeverity = Severity.allCases.reversed().map {
      "\(summary.severities[$0.rawValue] ?? 0) \(paint($0))"
    }
    lines.append(
      "  \(summary.anomalies) anomalies (\(rate)): " + bySeverity.joined(separator: ", "))
    let top = outcome.result.findings.sorted {
      $0.score != $1.score ? $0.score > $1.score : $0.record < $1.record
    }.prefix(5)
    for finding in top {
      let record = outcome.result.read.records[finding.record]
      var message = FieldMessage.shownText(record, outcome.result.read.buffer)
      message = TerminalText.line(message, limit: 90)
      lines.append(
        "  line \(record.line)  \(paint(finding.severity))  \(String(format: "%.2f", finding.score))  "
          + "\(finding.detectors.joined(separator: ","))  \(message)")
    }
    lines += changeLines(summary)
    if let sessions = summary.sessions {
      lines.append(
        "  \(sessions.anomalous) of \(sessions.count) sessions anomalous (\(sessions.grouping))")
      for top in sessions.top.prefix(3) {
        let severity = Severity(rawValue: top.severity).map { paint($0) } ?? top.severity
        let reason = TerminalText.line(top.reason, limit: 110)
        lines.append(
          "  session \(TerminalText.line(top.session, limit: 60))  \(severity)  \(String(format: "%.2f", top.score))  \(reason)"
        )
      }
    }
    if let review = summary.llm {
      lines.append(
        "  llm review (\(review.provider) \(review.model)): \(review.reviewed) of \(review.templates) templates, "
          + "\(review.calls) calls, \(review.cacheHits) cached, \(review.failures) failed; "
          + "\(review.raised) raised, \(review.lowered) lowered")
    }
    for alert in summary.alerts {
      let deliveries = alert.deliveries.map { "\($0.sink) \($0.status)" }.joined(separator: ", ")
      lines.append("  alert \(paint(alert.severity)) \(alert.rule): \(deliveries)")
    }
    return lines.joined(separator: "\n")
  }

  /// A count of the floods and changes of rate, then the largest flood and the three most
  /// improbable changes, one line each.
  private func changeLines(_ summary: AnalysisSummary) -> [String] {
    let floods = summary.floods.count
    let changes = summary.rateChanges.count
    guard floods + changes > 0 else { return [] }
    func plural(_ count: Int, _ word: String) -> String {
      "\(count) \(word)\(count == 1 ? "" : "s")"
    }
    var lines = [
      "  \(plural(floods, "flood")), \(plural(changes, "change")) of rate (the report lists them)"
    ]
    func clip(_ text: String) -> String { TerminalText.line(text, limit: 60) }
    if let flood = summary.floods.max(by: { $0.count < $1.count }) {
      lines.append(
        "  flood  lines \(flood.firstLine)–\(flood.lastLine)  \(flood.count) of \(flood.records) records (usual \(ReasonText.number(flood.expected ?? 0))): \(clip(flood.template))"
      )
    }
    let strongest = summary.rateChanges.sorted {
      ($0.log10Probability, $0.line) < ($1.log10Probability, $1.line)
    }
    for change in strongest.prefix(3) {
      let start = TimestampFormatter.readable(change.start)
      lines.append(
        "  rate \(change.kind)  from \(start)  \(change.count) records (usual \(ReasonText.number(change.expected))): \(clip(change.template ?? "all records"))"
      )
    }
    return lines
  }

  func footer(_ report: BatchAnalysis.Report, output: String, seconds: Double) -> String {
    guard !report.outcomes.isEmpty else { return "no input could be analysed" }
    let records = report.outcomes.reduce(0) { $0 + $1.summary.records }
    return "results in \(output)/ (\(records) records in \(String(format: "%.2f", seconds)) s)"
  }
}
