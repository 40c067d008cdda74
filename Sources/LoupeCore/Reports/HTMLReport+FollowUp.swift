extension HTMLReport {
  /// The report's sections for what ran after detection: the alerts raised (with what each
  /// sink did) and what LLM review did. Empty when neither ran.
  static func followUpSections(_ summary: AnalysisSummary) -> String {
    var html = ""
    if !summary.alerts.isEmpty {
      html +=
        "<section id=\"alerts\"><h2>Alerts (\(summary.alerts.count))</h2><table class=\"alerts\"><thead><tr><th>rule</th><th>severity</th><th>alert</th><th>deliveries</th></tr></thead><tbody>"
      for alert in summary.alerts {
        let deliveries = alert.deliveries.map { delivery in
          TextEscaping.html(
            "\(delivery.sink): \(delivery.status)" + (delivery.detail.map { " (\($0))" } ?? ""))
        }.joined(separator: "<br>")
        html +=
          "<tr><td>\(TextEscaping.html(alert.rule))</td><td class=\"sev-\(alert.severity.rawValue)\">\(alert.severity.rawValue)</td>"
          + "<td>\(TextEscaping.html(alert.title))</td><td>\(deliveries)</td></tr>"
      }
      html += "</tbody></table></section>"
    }
    if let review = summary.llm {
      var tokens = ""
      if let prompt = review.promptTokens, let completion = review.completionTokens {
        tokens = ", \(prompt) prompt and \(completion) completion tokens"
      }
      html +=
        "<section id=\"llm\"><h2>LLM review</h2><p>\(TextEscaping.html(review.provider)) · \(TextEscaping.html(review.model)): "
        + "\(review.reviewed) of \(review.templates) templates reviewed (\(review.verdicts["anomaly"] ?? 0) anomaly, \(review.verdicts["normal"] ?? 0) normal) "
        + "in \(review.calls) calls, \(review.cacheHits) from the cache, \(review.skippedByCap) over the call cap, \(review.failures) failed\(tokens); "
        + "\(review.raised) findings raised and \(review.lowered) lowered one level at most.</p>"
      if !review.errors.isEmpty {
        html +=
          "<ul>" + review.errors.map { "<li>\(TextEscaping.html($0))</li>" }.joined() + "</ul>"
      }
      html += "</section>"
    }
    return html
  }
}
