import Foundation
import Testing

@testable import LoupeCore

@Suite struct AnalysisTests {
  /// 3,000 routine lines with a few planted problems.
  static let log: String = {
    var lines: [String] = []
    for index in 0..<3000 {
      let time = String(
        format: "2024-01-15 %02d:%02d:%02d", 8 + index / 3600, index / 60 % 60, index % 60)
      switch index {
      case 700: lines.append("\(time) ERROR [Storage] Out of memory - process killed")
      case 1500: lines.append("\(time) FATAL [Kernel] kernel panic: unable to mount root fs")
      default:
        lines.append("\(time) INFO [Gateway] Request \(index) served in \(index % 40 + 10) ms")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }()

  func analyze(_ text: String, options: AnalysisOptions = AnalysisOptions()) throws
    -> AnalysisResult
  {
    var read = options.read
    read.defaultYear = 2024
    return try Analyzer(options: options).analyze(
      Fixtures.buffer(text, name: "app.log"), readOptions: read)
  }

  @Test func plantedProblemsAreFoundWithReasons() throws {
    let result = try analyze(Self.log)
    let byLine = Dictionary(
      uniqueKeysWithValues: result.findings.map { (result.read.records[$0.record].line, $0) })
    let oom = try #require(byLine[701])
    #expect(oom.severity >= .high)
    #expect(oom.reason.contains("out of memory"))
    #expect(oom.tags.contains("resource"))
    let panic = try #require(byLine[1501])
    #expect(panic.severity == .critical)
    #expect(panic.detectors.contains("rules"))
    #expect(result.findings.count < 60)
    let forest = try #require(result.reports.first { $0.name == "iforest" }?.scores)
    #expect(forest.count == result.read.records.count)
  }

  @Test func numericColumnOutliersAreExplained() throws {
    var text = "time,host,latency_ms,bytes\n"
    var random = SeededRandom(seed: 3)
    for index in 0..<500 {
      let latency = index == 321 ? 9000 : 100 + random.nextIndex(20)
      text +=
        "2024-01-15 08:\(String(format: "%02d:%02d", index / 60, index % 60)),web\(index % 3),\(latency),\(5000 + random.nextIndex(500))\n"
    }
    let result = try analyze(text)
    let finding = try #require(result.findings.first { result.read.records[$0.record].line == 323 })
    // The forest and the field's own range both name the value.
    #expect(finding.detectors == ["iforest", "extremes"])
    #expect(finding.reason.contains("unusual latency_ms 9000 (typical 1"))
    #expect(finding.reason.contains("latency_ms 9000: "))
  }

  @Test func detectorSubsetAndDeterminism() throws {
    var options = AnalysisOptions()
    options.detectors = ["rules"]
    let rulesOnly = try analyze(Self.log, options: options)
    #expect(rulesOnly.reports.map(\.name) == ["rules"])
    #expect(rulesOnly.findings.allSatisfy { $0.detectors == ["rules"] })
    let first = try analyze(Self.log)
    let second = try analyze(Self.log)
    #expect(first.findings == second.findings)
    options = AnalysisOptions()
    options.contamination = 0.05
    let contaminated = try analyze(Self.log, options: options)
    let forest = try #require(contaminated.reports.first { $0.name == "iforest" })
    #expect(forest.hits.count <= 150 && forest.hits.count >= 50)
  }

  @Test func rulesCoverAccessLogAttacks() throws {
    let text = """
      10.0.0.1 - - [15/Jan/2024:08:00:00 +0000] "GET /index.html HTTP/1.1" 200 512 "-" "Mozilla/5.0"
      10.0.0.2 - - [15/Jan/2024:08:00:01 +0000] "GET /item?id=1%27%20OR%201=1 HTTP/1.1" 200 512 "-" "Mozilla/5.0"
      10.0.0.3 - - [15/Jan/2024:08:00:02 +0000] "GET /../../etc/passwd HTTP/1.1" 404 0 "-" "sqlmap/1.7"
      10.0.0.4 - - [15/Jan/2024:08:00:03 +0000] "POST /api HTTP/1.1" 502 0 "-" "Mozilla/5.0"
      """
    var options = AnalysisOptions()
    options.detectors = ["rules"]
    let result = try analyze(text, options: options)
    let reasons = result.findings.map { (result.read.records[$0.record].line, $0.reason) }
    #expect(reasons.map(\.0) == [2, 3, 4])
    #expect(reasons[0].1.contains("attack marker"))
    #expect(reasons[1].1.contains("sqlmap"))
    #expect(reasons[2].1.contains("server error 502"))
  }

  @Test func reportFilesFollowTheContract() throws {
    let directory = try Fixtures.temporaryDirectory()
    let result = try analyze(Self.log + "2024-01-15 09:00:00 ERROR [Db] quote \"here\", comma\n")
    let summary = AnalysisSummary(result, options: AnalysisOptions())
    let files = try ReportWriter(directory: directory, allRecords: true).write(
      result, summary: summary, stem: "app")
    #expect(
      files.map { ($0 as NSString).lastPathComponent } == [
        "app_anomalies.csv", "app_anomalies.jsonl", "app_templates.csv", "app_summary.json",
        "app_records.csv", "app_summary.csv", "app_report.html",
      ])
    let anomalies = try String(contentsOfFile: directory + "/app_anomalies.csv", encoding: .utf8)
    let lines = anomalies.split(separator: "\n")
    #expect(
      lines.first
        == "line,timestamp,level,component,template_id,score,severity,detectors,reason,message")
    #expect(lines.count == result.findings.count + 1)
    #expect(anomalies.contains(",\"quote \"\"here\"\", comma\"\n"))
    #expect(anomalies.contains("\n701,2024-01-15T08:11:40Z,error,Storage,T"))

    let jsonl = try String(contentsOfFile: directory + "/app_anomalies.jsonl", encoding: .utf8)
    let first = try #require(jsonl.split(separator: "\n").first)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
    for key in [
      "line", "timestamp", "level", "component", "template_id", "score", "severity", "detectors",
      "reason", "message", "parameters", "tags", "fields",
    ] {
      #expect(object[key] != nil, "missing \(key)")
    }

    let templates = try String(contentsOfFile: directory + "/app_templates.csv", encoding: .utf8)
    #expect(templates.hasPrefix("template_id,template,count,first_line,anomalous_count\n"))
    #expect(templates.contains(",Request <*> served in <*> ms,2998,1,"))

    let records = try String(contentsOfFile: directory + "/app_records.csv", encoding: .utf8)
    #expect(records.split(separator: "\n").count == 3002)

    let json = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: directory + "/app_summary.json")))
        as? [String: Any])
    #expect(json["records"] as? Int == 3001)
    #expect(json["format"] as? String == "app")
    #expect(
      (json["templates"] as? [String: Any])?["unique"] as? Int == result.templates.templates.count)
    #expect((json["time"] as? [String: Any])?["start"] as? String == "2024-01-15T08:00:00Z")
    #expect(
      (json["detectors"] as? [[String: Any]])?.map { $0["name"] as? String } == [
        "iforest", "rules", "rare", "fields", "extremes", "secrets", "flood", "burst",
        "bruteforce", "scan", "rate",
      ])
    #expect((json["severities"] as? [String: Int])?.values.reduce(0, +) == result.findings.count)
  }
}
