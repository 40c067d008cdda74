import Foundation

/// An alert told as plain text (console, `alerts.txt`, e-mail text part, Slack) and as HTML
/// (the e-mail's HTML part). Log text is already redacted in the alert; HTML escapes it.
public enum AlertText {
  /// The alert as plain text: the title, the counts, then one line per piece of evidence.
  public static func plain(_ alert: Alert) -> String {
    var lines = [alert.title, ""]
    lines.append("Input: \(alert.input)")
    lines.append("Raised: \(alert.raisedAt)")
    lines.append(
      "Findings: \(alert.findings) (\(severityList(alert.severities))) of \(alert.records) records; anomaly rate \(percent(alert.anomalyRate))"
    )
    if alert.anomalousSessions > 0 {
      lines.append("Anomalous sessions: \(alert.anomalousSessions)")
    }
    if !alert.evidence.isEmpty {
      lines.append("")
      lines.append("Top findings:")
      for item in alert.evidence {
        lines.append(
          "  line \(item.line)  \(item.severity.rawValue)  \(String(format: "%.2f", item.score))  \(item.detectors.joined(separator: ","))"
        )
        lines.append("    \(item.message)")
        lines.append("    why: \(item.reason)")
      }
    }
    if !alert.sessionEvidence.isEmpty {
      lines.append("")
      lines.append("Top sessions:")
      for item in alert.sessionEvidence {
        lines.append(
          "  \(item.session)  \(item.severity.rawValue)  \(String(format: "%.2f", item.score))  \(item.reason)"
        )
      }
    }
    lines.append("")
    lines.append("Rule: \(alert.rule) · key: \(alert.key)")
    return lines.joined(separator: "\n") + "\n"
  }

  /// The alert as an HTML document for e-mail: a heading, the counts and a table of evidence.
  public static func html(_ alert: Alert) -> String {
    let escape = TextEscaping.html
    var rows = ""
    for item in alert.evidence {
      rows +=
        "<tr><td>\(item.line)</td><td>\(item.severity.rawValue)</td><td>\(String(format: "%.2f", item.score))</td>"
        + "<td>\(escape(item.detectors.joined(separator: ", ")))</td><td><code>\(escape(item.message))</code>"
        + "<br><small>\(escape(item.reason))</small></td></tr>\n"
    }
    var sessions = ""
    for item in alert.sessionEvidence {
      sessions +=
        "<li><code>\(escape(item.session))</code> \(item.severity.rawValue) \(String(format: "%.2f", item.score)): \(escape(item.reason))</li>\n"
    }
    return """
      <!DOCTYPE html>
      <html><head><meta charset="utf-8"><title>\(escape(alert.title))</title></head>
      <body style="font-family: sans-serif">
      <h2>\(escape(alert.title))</h2>
      <p>Input <b>\(escape(alert.input))</b>, raised \(escape(alert.raisedAt)).<br>
      \(alert.findings) findings (\(escape(severityList(alert.severities)))) of \(alert.records) records; anomaly rate \(percent(alert.anomalyRate)).\
      \(alert.anomalousSessions > 0 ? "<br>\(alert.anomalousSessions) anomalous sessions." : "")</p>
      \(rows.isEmpty ? "" : "<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\"><tr><th>line</th><th>severity</th><th>score</th><th>detectors</th><th>message and reason</th></tr>\n\(rows)</table>")
      \(sessions.isEmpty ? "" : "<h3>Sessions</h3><ul>\n\(sessions)</ul>")
      <p><small>Rule \(escape(alert.rule)) · key \(escape(alert.key)) · Loupe \(Loupe.version)</small></p>
      </body></html>

      """
  }

  /// `2 critical, 1 high`, most severe first, or `none`.
  public static func severityList(_ counts: [String: Int]) -> String {
    let parts = Severity.allCases.reversed().compactMap { severity in
      counts[severity.rawValue].map { "\($0) \(severity.rawValue)" }
    }
    return parts.isEmpty ? "none" : parts.joined(separator: ", ")
  }

  static func percent(_ share: Double) -> String { String(format: "%.2f%%", share * 100) }
}
