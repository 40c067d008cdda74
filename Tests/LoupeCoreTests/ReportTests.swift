import Foundation
import Testing

@testable import LoupeCore

@Suite struct ReportTests {
  @Test func chartHelpers() {
    #expect(SVGChart.ticks(maximum: 87) == [0, 20, 40, 60, 80, 100])
    #expect(SVGChart.ticks(maximum: 80) == [0, 20, 40, 60, 80])
    #expect(SVGChart.ticks(maximum: 0) == [0])
    #expect(SVGChart.ticks(maximum: 1234).last == 1500)
    #expect(SVGChart.heat(0) == "#fff7ec" && SVGChart.heat(1) == "#7f0000")
    let bars = SVGChart.bars(
      title: "a <b>",
      items: [("x<script>", 3, nil), (String(repeating: "y", count: 80), 1, "#000")])
    #expect(bars.hasPrefix("<svg") && bars.hasSuffix("</svg>"))
    #expect(!bars.contains("<script>") && bars.contains("x&lt;script&gt;"))
    #expect(bars.contains("…"))
    let map = SVGChart.heatmap(
      title: "h", rows: ["r1", "r2"], columns: ["c1"], counts: [[0], [5]])
    #expect(map.contains("r2 × c1: 5") && map.contains("5 findings"))
    // A span shaded on the timeline: 10 buckets of 60 s over 968 px from x = 56, the mark from
    // the third bucket to the fifth; its label is escaped.
    let buckets = (0..<10).map { (start: Double($0 * 60), records: 5, findings: 0) }
    let timeline = SVGChart.timeline(
      title: "t", buckets: buckets, bucketSeconds: 60,
      marks: [(start: 120, end: 300, label: "rate spike of <x>")])
    #expect(
      timeline.contains("<rect x=\"249.6\" y=\"34\" width=\"290.4\" height=\"166\" class=\"mark\">")
    )
    #expect(timeline.contains("<title>rate spike of &lt;x&gt;</title>"))
    #expect(timeline.contains("shaded: floods and changes of rate"))
    let plain = SVGChart.timeline(title: "t", buckets: buckets, bucketSeconds: 60)
    #expect(!plain.contains("class=\"mark\"") && !plain.contains("shaded"))
    #expect(
      TextEscaping.scriptJSON("[\"</script><b>&\"]")
        == "[\"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\"]")
  }

  @Test func groupsForTheSummaryCSV() throws {
    let lines = [
      "Time,Computer,Basename,ActionId,CPU",
      "2024-01-15 08:00:00,pc1,chrome.exe,1,3",
      "2024-01-15 08:00:01,pc1,chrome.exe,1,4",
      "2024-01-15 08:00:02,pc2,mimikatz.exe,7,95",
    ]
    var options = AnalysisOptions()
    options.detectors = ["rules"]
    options.customRules = [CustomRule(name: "tool", keywords: ["mimikatz"], severity: "critical")]
    let result = try Analyzer(options: options).analyze(
      Fixtures.buffer(lines.joined(separator: "\n") + "\n", name: "proc.csv"))
    let groups = GroupCounts(result, groupBy: "Basename")
    #expect(groups.groupOf == ["chrome.exe", "chrome.exe", "mimikatz.exe"])
    let csv = groups.csv(result).split(separator: "\n")
    #expect(csv[0] == "Basename,records,anomalies,anomaly_rate,critical,high,medium,low")
    #expect(csv[1] == "mimikatz.exe,1,1,1.0000,1,0,0,0")
    #expect(csv[2] == "chrome.exe,2,0,0.0000,0,0,0,0")
    let report = HTMLReport(
      result, summary: AnalysisSummary(result, options: options), groups: groups)
    #expect(report.charts.map(\.name).contains("heatmap-templates"))
    #expect(report.html.contains("Findings: Basename × template"))
  }

  /// Every kind of input gets every file: plain application logs, access logs, CSV with
  /// numeric columns (grouped by a field, heatmap columns from another), and sessions.
  @Test(arguments: ["app", "access", "process-csv", "metrics-csv", "sessions"])
  func everyInputTypeGetsTheReport(scenario name: String) throws {
    let directory = try Fixtures.temporaryDirectory()
    let scenario = try #require(ScenarioCatalog.scenario(named: name))
    var settings = GeneratorSettings(lines: 3000)
    settings.seed = 3
    var output = try LineWriter(path: directory + "/input.log")
    var labels: LabelWriter?
    _ = try scenario.generate(settings, output: &output, labels: &labels)
    var options = AnalysisOptions()
    if name == "sessions" { options.sessions = .key(#"blk_-?\d+"#) }
    let result = try Analyzer(options: options).analyze(.file(directory + "/input.log"))
    var writer = ReportWriter(directory: directory + "/out", plotsDirectory: directory + "/plots")
    if name == "process-csv" {
      writer.groupBy = "Basename"
      writer.heatmapBy = "ActionId"
    }
    let files = try writer.write(
      result, summary: AnalysisSummary(result, options: options), stem: "input")
    let names = Set(files.map { ($0 as NSString).lastPathComponent })
    #expect(names.isSuperset(of: ["input_report.html", "input_summary.csv", "input_timeline.svg"]))
    #expect(names.contains("input_sessions.csv") == (name == "sessions"))
    let html = try String(contentsOfFile: directory + "/out/input_report.html", encoding: .utf8)
    for chart in [
      "severities", "timeline", "templates", "components", "levels", "heatmap-templates",
    ] {
      #expect(html.contains("id=\"chart-\(chart)\""), "\(name): \(chart)")
    }
    #expect(!html.contains("no timestamps"), "\(name)")
    let summary = try String(contentsOfFile: directory + "/out/input_summary.csv", encoding: .utf8)
    if name == "process-csv" {
      #expect(summary.hasPrefix("Basename,records,anomalies"))
      #expect(html.contains("Findings: Basename × ActionId"))
    }
    if name == "sessions" { #expect(html.contains("Anomalous sessions")) }
  }
}
