import Foundation
import HTTPTypes
import Hummingbird
import LoupeCore
import LoupeStore
import NIOCore

/// The server-rendered pages. Every piece of log text goes through ``TextEscaping/html``;
/// the pages load only `/static/` files, under a Content-Security-Policy that forbids inline
/// code and every outside source.
enum WebPages {
  static let contentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

  static func html(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "text/html; charset=utf-8"
    headers[.contentSecurityPolicy] = contentSecurityPolicy
    headers[.cacheControl] = "no-store"
    return Response(
      status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
  }

  static func escapeHTML(_ text: String) -> String { TextEscaping.html(text) }

  static func layout(title: String, _ content: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en"><head><meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>\(escapeHTML(title)) · Loupe</title>
    <link rel="stylesheet" href="/static/loupe.css">
    <script src="/static/loupe.js" defer></script>
    </head><body>
    <header><a class="brand" href="/">Loupe</a><span class="muted">log anomaly detection</span></header>
    <main>
    \(content)
    </main></body></html>
    """
  }

  static func severityBadge(_ severity: Severity) -> String {
    "<span class=\"sev \(severity.rawValue)\">\(severity.rawValue)</span>"
  }

  static func date(_ seconds: Double) -> String { TimestampFormatter.iso8601(seconds) }

  /// The upload page with this session's history.
  static func index(
    history: [StoredAnalysis], models: [String], csrf: String, error: String? = nil,
    maxUploadBytes: Int
  ) -> String {
    var rows = ""
    for analysis in history {
      rows +=
        "<tr><td><a href=\"/analyses/\(escapeHTML(analysis.id))\">\(escapeHTML(analysis.inputName))</a></td>"
        + "<td>\(escapeHTML(analysis.format))</td><td>\(analysis.records)</td><td>\(analysis.anomalies)</td>"
        + "<td>\(escapeHTML(date(analysis.createdAt)))</td></tr>\n"
    }
    let modelOptions = models.map {
      "<option value=\"model:\(escapeHTML($0))\">saved model: \(escapeHTML($0))</option>"
    }.joined()
    let history =
      rows.isEmpty
      ? "<p class=\"muted\">No analyses in this session yet.</p>"
      : """
      <table><thead><tr><th>input</th><th>format</th><th>records</th><th>findings</th><th>when (UTC)</th></tr></thead>
      <tbody>
      \(rows)</tbody></table>
      <form method="post" action="/clear-session" class="row">
      <input type="hidden" name="csrf_token" value="\(escapeHTML(csrf))">
      <button class="secondary" type="submit">Clear this session</button></form>
      """
    return layout(
      title: "Analyse a log",
      """
      <h1>Analyse a log</h1>
      \(error.map { "<p class=\"error\" id=\"error\">\(escapeHTML($0))</p>" } ?? "")
      <form class="card" id="upload" method="post" action="/upload" enctype="multipart/form-data">
      <input type="hidden" name="csrf_token" value="\(escapeHTML(csrf))">
      <div class="drop" id="drop">Drop a log file here, or
      <input type="file" id="file" name="file" required> <span id="chosen"></span>
      <div class="muted">Any common format, plain or gzip; at most \(maxUploadBytes / 1_048_576) MB.</div></div>
      <div class="row"><label for="model">Detectors</label>
      <select id="model" name="model">
      <option value="isolation_forest">default (Isolation Forest, rules, rare templates and field values, extreme values, secrets, floods, bursts, brute force, rates)</option>
      <option value="autoencoder">autoencoder instead of the forest</option>
      <option value="iforest,lof,autoencoder,rules,rare,fields,extremes,secrets,flood,burst,bruteforce,rate">every detector</option>
      \(modelOptions)
      </select>
      <button type="submit" id="run">Analyse</button></div>
      </form>
      <h2>This session's analyses</h2>
      \(history)
      """)
  }

  /// The analysis page: headline numbers, charts, downloads and one page of findings.
  static func analysis(
    _ analysis: StoredAnalysis, page: FindingPage, query: FindingQuery, sessions: [StoredSession]
  ) -> String {
    let summary =
      (try? JSONSerialization.jsonObject(with: Data(analysis.summary.utf8)) as? [String: Any])
      ?? [:]
    let severities = summary["severities"] as? [String: Int] ?? [:]
    let templates = (summary["templates"] as? [String: Any])?["unique"] as? Int ?? 0
    let rate = (summary["anomaly_rate"] as? Double ?? 0) * 100
    func tile(_ value: String, _ label: String) -> String {
      "<div class=\"tile\"><div class=\"value\">\(escapeHTML(value))</div><div class=\"label\">\(escapeHTML(label))</div></div>"
    }
    let tiles = [
      tile(String(analysis.records), "records"),
      tile(String(analysis.anomalies), "findings"),
      tile(String(format: "%.2f%%", rate), "anomaly rate"),
      tile(String(severities["critical"] ?? 0), "critical"),
      tile(String(severities["high"] ?? 0), "high"),
      tile(String(templates), "templates"),
      tile(analysis.format, "format"),
    ].joined()
    let charts =
      (try? JSONSerialization.jsonObject(with: Data(analysis.charts.utf8)) as? [[String: String]])
      ?? []
    // As images: an SVG drawn as an image keeps its own styles without the page allowing
    // inline style, and runs nothing.
    let chartCards = charts.prefix(6).map { chart -> String in
      let name = escapeHTML(chart["name"] ?? "")
      let data = Data((chart["svg"] ?? "").utf8).base64EncodedString()
      return
        "<div class=\"card\" data-chart=\"\(name)\"><img alt=\"\(name)\" src=\"data:image/svg+xml;base64,\(data)\"></div>"
    }.joined(separator: "\n")
    var rows = ""
    for finding in page.findings {
      rows +=
        "<tr><td>\(finding.line)</td><td>\(escapeHTML(finding.timestamp ?? ""))</td><td>\(severityBadge(finding.severity))</td>"
        + "<td>\(String(format: "%.2f", finding.score))</td><td>\(escapeHTML(finding.detectors.joined(separator: ", ")))</td>"
        + "<td class=\"message\">\(escapeHTML(finding.message))</td><td class=\"reason\">\(escapeHTML(finding.reason))</td></tr>\n"
    }
    let base = "/analyses/\(escapeHTML(analysis.id))"
    func link(page number: Int) -> String {
      var items = ["page=\(number)", "sort=\(query.order.rawValue)"]
      if let severity = query.severity { items.append("severity=\(severity.rawValue)") }
      if let search = query.search, !search.isEmpty {
        items.append(
          "q=" + (search.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
      }
      return base + "?" + items.joined(separator: "&amp;")
    }
    let pages = max(1, (page.total + page.pageSize - 1) / page.pageSize)
    var pager =
      "<div class=\"pager\"><span>page \(page.page) of \(pages) · \(page.total) findings</span>"
    if page.page > 1 {
      pager += "<a href=\"\(link(page: page.page - 1))\" rel=\"prev\">previous</a>"
    }
    if page.page < pages {
      pager += "<a href=\"\(link(page: page.page + 1))\" rel=\"next\">next</a>"
    }
    pager += "</div>"
    let severityOptions = (["" as String] + Severity.allCases.reversed().map(\.rawValue)).map {
      "<option value=\"\($0)\"\(query.severity?.rawValue == $0 ? " selected" : "")>\($0.isEmpty ? "any severity" : $0)</option>"
    }.joined()
    let sortOptions = FindingQuery.Order.allCases.map {
      "<option value=\"\($0.rawValue)\"\(query.order == $0 ? " selected" : "")>by \($0.rawValue)</option>"
    }.joined()
    var sessionRows = ""
    for session in sessions.filter({ $0.severity != nil }).prefix(20) {
      sessionRows +=
        "<tr><td>\(escapeHTML(session.session))</td><td>\(session.records)</td><td>\(String(format: "%.2f", session.score))</td>"
        + "<td>\(session.severity.map(severityBadge) ?? "")</td><td class=\"reason\">\(escapeHTML(session.reason))</td></tr>\n"
    }
    return layout(
      title: analysis.inputName,
      """
      <h1>\(escapeHTML(analysis.inputName))</h1>
      <p class="muted">Analysed \(escapeHTML(date(analysis.createdAt))) in \(String(format: "%.2f", analysis.runSeconds)) s ·
      <a href="\(base)/report">full report</a> · <a href="\(base)/findings.csv">findings CSV</a> ·
      <a href="\(base)/findings.json">findings JSON</a> · <a href="\(base)/summary.json">summary JSON</a></p>
      <div class="tiles">\(tiles)</div>
      <div class="charts">
      \(chartCards)
      </div>
      \(sessionRows.isEmpty ? "" : "<h2>Anomalous sessions</h2><table><thead><tr><th>session</th><th>records</th><th>score</th><th>severity</th><th>reason</th></tr></thead><tbody>\n\(sessionRows)</tbody></table>")
      <h2 id="findings">Findings</h2>
      <form method="get" action="\(base)" class="row" id="filter">
      <input type="search" name="q" value="\(escapeHTML(query.search ?? ""))" placeholder="search message, reason, component">
      <select name="severity">\(severityOptions)</select>
      <select name="sort">\(sortOptions)</select>
      <button type="submit">Apply</button></form>
      \(pager)
      <table id="findings-table"><thead><tr><th>line</th><th>time</th><th>severity</th><th>score</th><th>detectors</th><th>message</th><th>reason</th></tr></thead>
      <tbody>
      \(rows)</tbody></table>
      \(pager)
      """)
  }

  /// A page for a missing analysis or another error.
  static func message(_ title: String, _ text: String) -> String {
    layout(
      title: title,
      "<h1>\(escapeHTML(title))</h1><p class=\"error\">\(escapeHTML(text))</p><p><a href=\"/\">Back</a></p>"
    )
  }
}
