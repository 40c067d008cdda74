extension HTMLReport {
  /// The most floods and changes of rate the report lists (the summary JSON has them all).
  static let maximumChangeRows = 50

  /// The report's section for what happened over a span of time rather than on one record:
  /// floods (a template that took over a window of records) and rate spikes and drops. Each
  /// row says what, when, how many against how many expected, and the line of its finding.
  /// Empty when there were none.
  static func changeSections(_ summary: AnalysisSummary) -> String {
    guard !summary.floods.isEmpty || !summary.rateChanges.isEmpty else { return "" }
    let total = summary.floods.count + summary.rateChanges.count
    var html =
      "<section id=\"changes\"><h2>Floods and changes of rate (\(total))</h2>"
      + "<table class=\"changes\"><thead><tr><th>kind</th><th>what</th><th>when</th>"
      + "<th>records</th><th>usual</th><th>line</th></tr></thead><tbody>"
    var rows: [String] = []
    for flood in summary.floods {
      let when =
        [flood.start, flood.end].compactMap { $0.map { TimestampFormatter.readable($0) } }.joined(
          separator: " – ")
      rows.append(
        row(
          kind: "flood", what: flood.template,
          when: "lines \(flood.firstLine)–\(flood.lastLine)" + (when.isEmpty ? "" : ", \(when)"),
          records: "\(flood.count) of \(flood.records)",
          usual: flood.expected.map(ReasonText.number) ?? "—", line: flood.firstLine))
    }
    for change in summary.rateChanges {
      rows.append(
        row(
          kind: "rate \(change.kind)", what: change.template ?? "all records",
          when:
            "\(TimestampFormatter.readable(change.start)) – \(TimestampFormatter.readable(change.end))",
          records: String(change.count), usual: ReasonText.number(change.expected),
          line: change.line))
    }
    html += rows.prefix(maximumChangeRows).joined()
    html += "</tbody></table>"
    if rows.count > maximumChangeRows {
      html +=
        "<p class=\"meta\">The first \(maximumChangeRows) of \(rows.count); all are in the summary JSON (<code>floods</code>, <code>rate_changes</code>).</p>"
    }
    return html + "</section>"
  }

  private static func row(
    kind: String, what: String, when: String, records: String, usual: String, line: Int
  ) -> String {
    "<tr><td>\(TextEscaping.html(kind))</td><td>\(TextEscaping.html(what))</td>"
      + "<td>\(TextEscaping.html(when))</td><td>\(TextEscaping.html(records))</td>"
      + "<td>\(TextEscaping.html(usual))</td><td>\(line)</td></tr>"
  }
}
