import Foundation

/// `STEM_report.html`: one self-contained page (inline CSS, inline SVG, a little vanilla
/// JavaScript; nothing fetched) with the headline numbers, the charts, and a findings table
/// with search, severity filters and sorting.
///
/// Every piece of log text reaches the page either escaped into the markup
/// (``TextEscaping/html(_:)``) or as JSON data that the script puts in the page with
/// `textContent`, never as markup; secrets are redacted before either. The table's state (search
/// text, severity, sort) lives in the address's fragment (`#q=timeout&severity=high&sort=score`),
/// so a filtered view can be linked to.
public struct HTMLReport: Sendable {
  /// Findings shown in the table at most (the rest are in the CSV).
  public static let maximumRows = 20_000

  /// The charts, by file name (without `.svg`), in page order.
  public let charts: [(name: String, svg: String)]
  let page: String

  /// Builds the report.
  /// - Parameters:
  ///   - groups: the rows of the heatmaps.
  ///   - heatmapBy: the field whose values are the first heatmap's columns (e.g. `ActionId`);
  ///     `nil` for the templates.
  public init(
    _ result: AnalysisResult, summary: AnalysisSummary, groups: GroupCounts,
    heatmapBy: String? = nil
  ) {
    let charts = Self.charts(result, summary: summary, groups: groups, heatmapBy: heatmapBy)
    self.charts = charts
    page = Self.page(result, summary: summary, charts: charts)
  }

  /// The page's HTML.
  public var html: String { page }

  static func charts(
    _ result: AnalysisResult, summary: AnalysisSummary, groups: GroupCounts, heatmapBy: String?
  ) -> [(name: String, svg: String)] {
    var charts: [(String, String)] = []
    let severities = ["critical", "high", "medium", "low"].map {
      (label: $0, value: Double(summary.severities[$0] ?? 0), color: SVGChart.severityColors[$0])
    }
    charts.append(("severities", SVGChart.bars(title: "Findings by severity", items: severities)))
    charts.append(("timeline", timeline(result)))
    var anomaliesByTemplate = [Int](repeating: 0, count: result.templates.templates.count)
    for finding in result.findings {
      anomaliesByTemplate[result.templates.assignments[finding.record]] += 1
    }
    let indexOfId = Dictionary(
      result.templates.templates.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    let templates = summary.templates.top.prefix(12).map { top -> (String, Double, String?) in
      let anomalies = indexOfId[top.id].map { anomaliesByTemplate[$0] } ?? 0
      let share = String(format: "%.1f%%", top.share * 100)
      return (
        "\(top.template) — \(share), \(anomalies) anomalous", Double(top.count),
        anomalies > 0 ? "#ef6548" : nil
      )
    }
    charts.append(
      ("templates", SVGChart.bars(title: "Top templates (records)", items: templates, width: 1040)))
    let components = summary.components.prefix(12).map {
      ("\($0.name) (\($0.anomalies ?? 0) anomalous)", Double($0.count), String?.none)
    }
    charts.append(("components", SVGChart.bars(title: "Components (records)", items: components)))
    let levels = summary.levels.sorted { $0.value > $1.value }.map {
      ($0.key, Double($0.value), String?.none)
    }
    charts.append(("levels", SVGChart.bars(title: "Levels (records)", items: levels)))
    charts.append(("heatmap-templates", groupByColumn(result, groups: groups, field: heatmapBy)))
    if result.read.records.contains(where: { $0.timestamp != nil }) {
      charts.append(("heatmap-hours", groupByHour(result, groups: groups)))
    }
    return charts
  }

  static func timeline(_ result: AnalysisResult) -> String {
    let stamps = result.read.records.compactMap(\.timestamp)
    guard let first = stamps.min(), let last = stamps.max() else {
      return SVGChart.timeline(title: "Volume over time", buckets: [], bucketSeconds: 60)
    }
    let widths: [Double] = [1, 5, 10, 30, 60, 300, 900, 3600, 21_600, 86_400, 604_800]
    let width = widths.first { (last - first) / $0 <= 150 } ?? 604_800
    let origin = (first / width).rounded(.down) * width
    let count = Int((last - origin) / width) + 1
    var records = [Int](repeating: 0, count: count)
    var findings = [Int](repeating: 0, count: count)
    for record in result.read.records {
      if let stamp = record.timestamp { records[Int((stamp - origin) / width)] += 1 }
    }
    for finding in result.findings {
      if let stamp = result.read.records[finding.record].timestamp {
        findings[Int((stamp - origin) / width)] += 1
      }
    }
    let buckets = (0..<count).map { (origin + Double($0) * width, records[$0], findings[$0]) }
    return SVGChart.timeline(
      title: "Volume over time, findings in red", buckets: buckets, bucketSeconds: width,
      marks: timeMarks(result))
  }

  /// The floods and changes of rate that have times, as spans to shade on the timeline.
  static func timeMarks(_ result: AnalysisResult) -> [(start: Double, end: Double, label: String)] {
    let parser = TimestampParser(defaultYear: 1970)
    func seconds(_ text: String?) -> Double? {
      guard let text else { return nil }
      let bytes = Array(text.utf8)
      return bytes.withUnsafeBufferPointer { parser.parse($0, ByteSpan(0, $0.count)) }
    }
    var marks: [(start: Double, end: Double, label: String)] = []
    for flood in result.reports.flatMap(\.floods) {
      guard let start = seconds(flood.start), let end = seconds(flood.end) else { continue }
      marks.append(
        (start, end, "flood: \(flood.template), \(flood.count) of \(flood.records) records"))
    }
    for change in result.reports.flatMap(\.rateChanges) {
      guard let start = seconds(change.start), let end = seconds(change.end) else { continue }
      let what = change.template ?? "all records"
      marks.append(
        (
          start, end,
          "rate \(change.kind): \(change.count) records of \(what) (usual \(ReasonText.number(change.expected)))"
        ))
    }
    return marks
  }

  /// Rows: the 20 groups with most findings; columns: the 30 templates (or values of `field`)
  /// with most findings.
  static func groupByColumn(_ result: AnalysisResult, groups: GroupCounts, field: String?)
    -> String
  {
    var lookup = FieldLookup(field ?? "")
    func column(_ record: Int) -> String {
      if field != nil {
        return lookup.value(in: result.read.records[record]).map {
          SecretScanner.redact(result.read.buffer.string($0))
        } ?? "(none)"
      }
      let template = result.templates.templates[result.templates.assignments[record]]
      return "\(template.id) \(SecretScanner.redact(template.text))"
    }
    var cells: [String: [String: Int]] = [:]
    var byColumn: [String: Int] = [:]
    var byGroup: [String: Int] = [:]
    for finding in result.findings {
      let group = groups.groupOf[finding.record]
      let name = column(finding.record)
      cells[group, default: [:]][name, default: 0] += 1
      byColumn[name, default: 0] += 1
      byGroup[group, default: 0] += 1
    }
    let rows = byGroup.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(20).map(\.key)
    let columns = byColumn.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(30).map(\.key)
    let counts = rows.map { row in columns.map { cells[row]?[$0] ?? 0 } }
    return SVGChart.heatmap(
      title: "Findings: \(groups.field) × \(field ?? "template")", rows: rows, columns: columns,
      counts: counts)
  }

  /// Rows: the 20 groups with most findings; columns: the hour of day (UTC).
  static func groupByHour(_ result: AnalysisResult, groups: GroupCounts) -> String {
    var cells: [String: [Int]] = [:]
    var byGroup: [String: Int] = [:]
    for finding in result.findings {
      guard let stamp = result.read.records[finding.record].timestamp else { continue }
      let group = groups.groupOf[finding.record]
      let hour = Int((stamp / 3600).rounded(.down)) % 24
      cells[group, default: [Int](repeating: 0, count: 24)][(hour + 24) % 24] += 1
      byGroup[group, default: 0] += 1
    }
    let rows = byGroup.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(20).map(\.key)
    return SVGChart.heatmap(
      title: "Findings: \(groups.field) × hour of day (UTC)", rows: rows,
      columns: (0..<24).map { String(format: "%02d:00", $0) },
      counts: rows.map { cells[$0] ?? [Int](repeating: 0, count: 24) })
  }

  static func page(
    _ result: AnalysisResult, summary: AnalysisSummary, charts: [(name: String, svg: String)]
  ) -> String {
    let name = TextEscaping.html(summary.input.name)
    var cards: [(String, String)] = [
      ("records", String(summary.records)),
      ("findings", "\(summary.anomalies) (\(String(format: "%.2f%%", summary.anomalyRate * 100)))"),
      (
        "critical / high",
        "\(summary.severities["critical"] ?? 0) / \(summary.severities["high"] ?? 0)"
      ),
      ("templates", String(summary.templates.unique)),
      ("error rate", String(format: "%.2f%%", summary.errorRate * 100)),
      ("format", summary.format),
    ]
    if let time = summary.time {
      let span = time.spanSeconds
      let length =
        span >= 172_800
        ? String(format: "%.1f days", span / 86_400)
        : span >= 7200
          ? String(format: "%.1f hours", span / 3600)
          : String(format: "%.1f minutes", span / 60)
      cards.append(
        ("time span from \(TimestampFormatter.readable(time.start, seconds: false))", length)
      )
      cards.append(("peak per minute", String(time.peakPerMinute)))
    }
    if let sessions = summary.sessions {
      cards.append(("anomalous sessions", "\(sessions.anomalous) of \(sessions.count)"))
    }
    var html = """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8">
      <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>Loupe report — \(name)</title>
      <style>\(css)</style></head><body>
      <header><h1>Loupe report — \(name)</h1>
      <p class="meta">Loupe \(TextEscaping.html(summary.loupeVersion)) · \(summary.lines) lines · format \(TextEscaping.html(summary.format))</p></header>
      <section class="cards">
      """
    for (label, value) in cards {
      html += "<div class=\"card\"><div class=\"value\">\(TextEscaping.html(value))</div>"
      html += "<div class=\"label\">\(TextEscaping.html(label))</div></div>"
    }
    html += "</section><section class=\"charts\">"
    for chart in charts {
      html += "<figure id=\"chart-\(chart.name)\">\(chart.svg)</figure>"
    }
    html += "</section>"
    if let sessions = summary.sessions, !sessions.top.isEmpty {
      html +=
        "<section><h2>Anomalous sessions (\(sessions.anomalous) of \(sessions.count), \(TextEscaping.html(sessions.grouping)))</h2>"
      html +=
        "<table class=\"sessions\"><thead><tr><th>session</th><th>records</th><th>score</th><th>severity</th><th>reason</th></tr></thead><tbody>"
      for top in sessions.top {
        html += "<tr><td>\(TextEscaping.html(top.session))</td><td>\(top.records)</td>"
        html +=
          "<td>\(String(format: "%.2f", top.score))</td><td class=\"sev-\(TextEscaping.html(top.severity))\">\(TextEscaping.html(top.severity))</td>"
        html += "<td>\(TextEscaping.html(top.reason))</td></tr>"
      }
      html += "</tbody></table></section>"
    }
    html += changeSections(summary)
    html += followUpSections(summary)
    let shown = min(result.findings.count, maximumRows)
    html += """
      <section><h2>Findings</h2>
      <div class="toolbar"><input id="search" type="search" placeholder="Search message, reason, template…" aria-label="Search findings">
      <span class="filters"><button data-severity="all" class="active">all</button><button data-severity="critical">critical</button><button data-severity="high">high</button><button data-severity="medium">medium</button><button data-severity="low">low</button></span>
      <span id="count"></span></div>
      """
    if result.findings.count > shown {
      html +=
        "<p class=\"meta\">The table shows the \(shown) highest-scoring of \(result.findings.count) findings; all are in the CSV.</p>"
    }
    html += """
      <table id="findings"><thead><tr><th data-key="line">line</th><th data-key="time">time</th><th data-key="severity">severity</th><th data-key="score">score</th><th data-key="component">component</th><th data-key="detectors">detectors</th><th data-key="template">template</th><th data-key="reason">reason</th><th data-key="message">message</th></tr></thead><tbody></tbody></table></section>
      <script type="application/json" id="data">\(TextEscaping.scriptJSON(findingsJSON(result, limit: shown)))</script>
      <script>\(script)</script></body></html>
      """
    return html
  }

  static func findingsJSON(_ result: AnalysisResult, limit: Int) -> String {
    let top = result.findings.sorted { ($0.score, -$0.record) > ($1.score, -$1.record) }.prefix(
      limit)
    var rows: [String] = []
    rows.reserveCapacity(top.count)
    let buffer = result.read.buffer
    for finding in top.sorted(by: { $0.record < $1.record }) {
      let record = result.read.records[finding.record]
      let template = result.templates.templates[result.templates.assignments[finding.record]]
      let fields: [String] = [
        String(record.line),
        TextEscaping.json(record.timestamp.map(TimestampFormatter.iso8601) ?? ""),
        TextEscaping.json(finding.severity.rawValue),
        String(format: "%.4f", finding.score),
        TextEscaping.json(
          SecretScanner.redact((record.component ?? record.process).map { buffer.string($0) } ?? "")
        ),
        TextEscaping.json(finding.detectors.joined(separator: ", ")),
        TextEscaping.json(SecretScanner.redact(template.text)),
        TextEscaping.json(finding.reason),
        TextEscaping.json(
          String(
            FieldMessage.shownText(record, buffer).prefix(2000))),
      ]
      rows.append("[" + fields.joined(separator: ",") + "]")
    }
    return "[" + rows.joined(separator: ",\n") + "]"
  }

  static let css = """
    body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:1100px;padding:16px;color:#222;background:#fff}
    h1{font-size:22px;margin:0}h2{font-size:17px;margin:28px 0 8px}.meta{color:#666;margin:4px 0}
    .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:10px;margin:16px 0}
    .card{border:1px solid #ddd;border-radius:6px;padding:10px}.card .value{font-size:18px;font-weight:600;word-break:break-word}.card .label{color:#666;font-size:12px}
    .charts{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0;border:1px solid #eee;border-radius:6px;padding:4px;max-width:100%;overflow-x:auto}
    svg.chart{max-width:100%;height:auto}
    .toolbar{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-bottom:8px}
    #search{flex:1;min-width:220px;padding:6px 8px;border:1px solid #bbb;border-radius:4px}
    button{border:1px solid #bbb;background:#f7f7f7;border-radius:4px;padding:5px 10px;cursor:pointer}button.active{background:#333;color:#fff}
    table{border-collapse:collapse;width:100%;font-size:12px}th,td{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}
    th{background:#fafafa;cursor:pointer;position:sticky;top:0}td{word-break:break-word;white-space:pre-wrap}
    .sev-critical{color:#b2182b;font-weight:600}.sev-high{color:#d7301f}.sev-medium{color:#b35806}.sev-low{color:#2166ac}
    @media print{.toolbar{display:none}th{position:static}figure{break-inside:avoid}body{max-width:none}}
    """

  static let script = """
    (function(){
    "use strict";
    var rows=JSON.parse(document.getElementById("data").textContent);
    var keys=["line","time","severity","score","component","detectors","template","reason","message"];
    var rank={critical:4,high:3,medium:2,low:1};
    var state={q:"",severity:"all",sort:"line",desc:false};
    var body=document.querySelector("#findings tbody");
    var search=document.getElementById("search");
    function readHash(){
      var parts=location.hash.replace(/^#/,"").split("&");
      for(var i=0;i<parts.length;i++){
        var kv=parts[i].split("=");if(kv.length!==2)continue;
        var v=decodeURIComponent(kv[1]);
        if(kv[0]==="q")state.q=v;
        if(kv[0]==="severity"&&(v==="all"||rank[v]))state.severity=v;
        if(kv[0]==="sort"&&keys.indexOf(v.replace(/^-/,""))>=0){state.desc=v.charAt(0)==="-";state.sort=v.replace(/^-/,"");}
      }
    }
    function writeHash(){
      var h="q="+encodeURIComponent(state.q)+"&severity="+state.severity+"&sort="+(state.desc?"-":"")+state.sort;
      if(history.replaceState)history.replaceState(null,"","#"+h);
    }
    function value(row,key){
      var i=keys.indexOf(key);
      if(key==="severity")return rank[row[i]]||0;
      return row[i];
    }
    function render(){
      var q=state.q.toLowerCase();
      var list=rows.filter(function(r){
        if(state.severity!=="all"&&r[2]!==state.severity)return false;
        if(!q)return true;
        return (r[8]+" "+r[7]+" "+r[6]+" "+r[4]+" "+r[5]).toLowerCase().indexOf(q)>=0;
      });
      list.sort(function(a,b){
        var x=value(a,state.sort),y=value(b,state.sort);
        var c=x<y?-1:x>y?1:a[0]-b[0];
        return state.desc?-c:c;
      });
      var fragment=document.createDocumentFragment();
      list.forEach(function(r){
        var tr=document.createElement("tr");
        tr.className="finding";
        r.forEach(function(cell,i){
          var td=document.createElement("td");
          td.textContent=i===3?Number(cell).toFixed(2):String(cell);
          if(i===2)td.className="sev-"+cell;
          tr.appendChild(td);
        });
        fragment.appendChild(tr);
      });
      body.textContent="";
      body.appendChild(fragment);
      document.getElementById("count").textContent=list.length+" of "+rows.length+" findings";
      var buttons=document.querySelectorAll("button[data-severity]");
      for(var i=0;i<buttons.length;i++)buttons[i].className=buttons[i].getAttribute("data-severity")===state.severity?"active":"";
      search.value=state.q;
      writeHash();
    }
    search.addEventListener("input",function(){state.q=search.value;render();});
    var buttons=document.querySelectorAll("button[data-severity]");
    for(var i=0;i<buttons.length;i++)buttons[i].addEventListener("click",function(e){state.severity=e.target.getAttribute("data-severity");render();});
    var headers=document.querySelectorAll("#findings th");
    for(var j=0;j<headers.length;j++)headers[j].addEventListener("click",function(e){
      var key=e.target.getAttribute("data-key");
      if(state.sort===key)state.desc=!state.desc;else{state.sort=key;state.desc=key==="score"||key==="severity";}
      render();
    });
    readHash();
    render();
    })();
    """
}
