import Foundation
import Testing
import Yams

@testable import LoupeCore

/// Alert rules, the ledger's cool-down and rate limits, and the dispatcher.
@Suite struct AlertTests {
  static let result: AnalysisResult = {
    var lines: [String] = []
    for index in 0..<2000 {
      let time = String(format: "2024-03-01 10:%02d:%02d", index / 60 % 60, index % 60)
      switch index {
      case 300, 600, 900:
        lines.append("\(time) ERROR [Database] connection refused by db-\(index % 7).internal")
      case 1200:
        lines.append("\(time) FATAL [Kernel] kernel panic: out of memory, process killed")
      case 1500:
        lines.append("\(time) INFO [Auth] token AKIAIOSFODNN7EXAMPLE used by deploy")
      default:
        lines.append("\(time) INFO [Gateway] request \(index) served in \(index % 40 + 10) ms")
      }
    }
    var read = ReadOptions()
    read.defaultYear = 2024
    // The fixture is fixed text: analysing it cannot fail.
    return
      (try? Analyzer(options: AnalysisOptions()).analyze(
        Fixtures.buffer(lines.joined(separator: "\n") + "\n", name: "app.log"), readOptions: read))
      ?? { fatalError("fixture") }()
  }()

  func rule(_ yaml: String) throws -> AlertRule {
    try YAMLDecoder().decode(AlertRule.self, from: yaml)
  }

  @Test func aRuleSelectsFindingsBySeverityDetectorRuleAndTemplate() throws {
    let all = AlertEvaluator.alerts(
      for: [AlertRule(name: "all")], result: Self.result, input: "app.log")
    #expect(all.count == 1)
    #expect(all[0].findings == Self.result.findings.count)
    #expect(all[0].severity == Self.result.findings.map(\.severity).max())
    #expect(all[0].key == "all:app.log")
    #expect(all[0].evidence.count == min(10, Self.result.findings.count))
    #expect(all[0].evidence.first?.score == Self.result.findings.map(\.score).max())

    let secrets = AlertEvaluator.alerts(
      for: [try rule("{name: leaks, detectors: [secrets]}")], result: Self.result, input: "app.log")
    #expect(secrets.count == 1)
    #expect(secrets[0].findings == 1)
    // Evidence is redacted like every other output.
    #expect(secrets[0].evidence.allSatisfy { !$0.message.contains("AKIAIOSFODNN7EXAMPLE") })

    let byText = AlertEvaluator.alerts(
      for: [try rule("{name: db, templates: ['CONNECTION REFUSED']}")], result: Self.result,
      input: "app.log")
    #expect(byText.first?.findings == 3)
    let id = try #require(byText.first?.evidence.first?.templateId)
    let byId = AlertEvaluator.alerts(
      for: [try rule("{name: db, templates: [\(id)]}")], result: Self.result, input: "app.log")
    #expect(byId.first?.findings == 3)

    let resource = AlertEvaluator.alerts(
      for: [try rule("{name: r, rules: [resource], min_severity: high}")], result: Self.result,
      input: "app.log")
    #expect(resource.first?.findings == 1)
  }

  @Test func thresholdsMustAllHold() throws {
    let results = [
      "{name: a, min_findings: 1000}", "{name: b, anomaly_rate: 0.5}",
      "{name: c, severity_counts: {critical: 50}}", "{name: d, sessions: 1}",
      "{name: e, templates: [no-such-template]}",
    ].map { text in
      AlertEvaluator.alerts(for: [try! rule(text)], result: Self.result, input: "x").count
    }
    #expect(results == [0, 0, 0, 0, 0])
    let ok = AlertEvaluator.alerts(
      for: [
        try rule("{name: f, min_findings: 3, anomaly_rate: 0.001, severity_counts: {critical: 1}}")
      ],
      result: Self.result, input: "x")
    #expect(ok.count == 1)
  }

  @Test func groupingGivesOneAlertPerTemplateWithItsOwnKey() throws {
    let alerts = AlertEvaluator.alerts(
      for: [try rule("{name: t, group_by: template}")], result: Self.result, input: "app.log")
    let templates = Set(
      Self.result.findings.map { Self.result.templates.assignments[$0.record] })
    #expect(alerts.count == templates.count)
    #expect(Set(alerts.map(\.key)).count == alerts.count)
    #expect(alerts.allSatisfy { $0.key.hasPrefix("t:T") && $0.key.hasSuffix(":app.log") })
    let custom = AlertEvaluator.alerts(
      for: [try rule("{name: t, dedup_key: '{rule}-{severity}'}")], result: Self.result,
      input: "app.log")
    #expect(custom.first?.key == "t-\(custom.first?.severity.rawValue ?? "")")
  }

  @Test func invalidRulesAndSinksAreRefusedWithASentence() throws {
    #expect(throws: (any Error).self) { try rule("{name: a, min_severity: severe}") }
    #expect(throws: (any Error).self) { try rule("{name: a, cooldown: soon}") }
    #expect(throws: (any Error).self) { try rule("{name: a, group_by: host}") }
    #expect(try rule("{name: a, detectors: [nope]}").problem?.contains("unknown detector") == true)
    #expect(try rule("{name: a, cooldown: 15m}").cooldownSeconds == 900)
    let config = try YAMLDecoder().decode(
      LoupeConfig.self,
      from: """
        alerts:
          sinks: [{type: email, name: mail}]
          rules: [{name: a}]
        """)
    #expect(config.problem?.contains("there is no smtp section") == true)
    let unknownSink = try YAMLDecoder().decode(
      LoupeConfig.self, from: "alerts: {rules: [{name: a, sinks: [pager]}]}")
    #expect(unknownSink.problem?.contains("unknown sink 'pager'") == true)
    let badHook = try YAMLDecoder().decode(
      LoupeConfig.self, from: "alerts: {sinks: [{type: webhook, url: 'ftp://x'}]}")
    #expect(badHook.problem?.contains("http or https url") == true)
    #expect(throws: (any Error).self) {
      try YAMLDecoder().decode(LoupeConfig.self, from: "smtp: {host: h, from: a@b.c, password: x}")
    }
  }

  /// A sink that remembers what it was given, and fails when told to.
  actor Recorder {
    var delivered: [String] = []
    func add(_ key: String) { delivered.append(key) }
  }

  struct RecordingSink: AlertSink {
    var name: String
    var maxPerHour: Int?
    var recorder: Recorder
    var fails = false
    func deliver(_ alert: Alert) async throws {
      if fails { throw CocoaError(.fileWriteUnknown) }
      await recorder.add("\(name):\(alert.key)")
    }
  }

  @Test func coolDownHoldsBackTheSameIncidentAndRateLimitsCapASink() async throws {
    let scratch = NSTemporaryDirectory() + "loupe-ledger-" + UUID().uuidString + ".json"
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let recorder = Recorder()
    var grouped = try rule("{name: t, group_by: template, cooldown: 10m}")
    grouped.sinks = nil
    let dispatcher = AlertDispatcher(
      sinks: [
        RecordingSink(name: "limited", maxPerHour: 2, recorder: recorder),
        RecordingSink(name: "open", maxPerHour: nil, recorder: recorder),
      ], rules: [grouped], ledgerPath: scratch)
    let alerts = AlertEvaluator.alerts(for: [grouped], result: Self.result, input: "app.log")
    #expect(alerts.count >= 3)
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let (first, problem) = await dispatcher.dispatch(alerts, now: start)
    #expect(problem == nil)
    let limited = first.map { $0.deliveries[0].status }
    #expect(limited.prefix(2).allSatisfy { $0 == "sent" })
    #expect(limited.dropFirst(2).allSatisfy { $0 == "rate_limited" })
    #expect(first.allSatisfy { $0.deliveries[1].status == "sent" })
    // Five minutes later: every incident is cooling down, nothing is delivered.
    let (second, _) = await dispatcher.dispatch(alerts, now: start.addingTimeInterval(300))
    #expect(second.allSatisfy { $0.deliveries.allSatisfy { $0.status == "cooldown" } })
    // After the cool-down and the hour, they go out again.
    let (third, _) = await dispatcher.dispatch(alerts, now: start.addingTimeInterval(3700))
    #expect(third.prefix(2).allSatisfy { $0.deliveries.allSatisfy { $0.status == "sent" } })
    #expect(await recorder.delivered.count == 2 + alerts.count + 2 + alerts.count)
  }

  @Test func aFailedDeliveryDoesNotStartTheCoolDown() async throws {
    let path = NSTemporaryDirectory() + "loupe-ledger-" + UUID().uuidString + ".json"
    defer { try? FileManager.default.removeItem(atPath: path) }
    let recorder = Recorder()
    let rules = [AlertRule(name: "all")]
    let alerts = AlertEvaluator.alerts(for: rules, result: Self.result, input: "app.log")
    let failing = AlertDispatcher(
      sinks: [RecordingSink(name: "down", maxPerHour: nil, recorder: recorder, fails: true)],
      rules: rules, ledgerPath: path)
    let (records, _) = await failing.dispatch(alerts)
    #expect(records.first?.deliveries.first?.status == "failed")
    let working = AlertDispatcher(
      sinks: [RecordingSink(name: "up", maxPerHour: nil, recorder: recorder)], rules: rules,
      ledgerPath: path)
    let (retried, _) = await working.dispatch(alerts)
    #expect(retried.first?.deliveries.first?.status == "sent")
  }

  @Test func fileSinkAppendsTextAndJSONLines() async throws {
    let directory = NSTemporaryDirectory() + "loupe-alerts-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let alerts = AlertEvaluator.alerts(
      for: [AlertRule(name: "all")], result: Self.result, input: "app.log")
    let sink = FileAlertSink(directory: directory)
    try await sink.deliver(alerts[0])
    try await sink.deliver(alerts[0])
    let lines = try String(contentsOfFile: directory + "/alerts.jsonl", encoding: .utf8)
      .split(separator: "\n")
    #expect(lines.count == 2)
    let decoded = try JSONDecoder().decode(Alert.self, from: Data(lines[0].utf8))
    #expect(decoded == alerts[0])
    let text = try String(contentsOfFile: directory + "/alerts.txt", encoding: .utf8)
    #expect(text.components(separatedBy: "Rule: all").count == 3)
    #expect(AlertText.html(alerts[0]).contains("<table"))
  }
}
