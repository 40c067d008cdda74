import Foundation
import Testing
import Yams

@testable import LoupeCore

@Suite struct CustomRuleTests {
  func analyze(_ lines: [String], rules: [CustomRule] = [], limits: RuleLimits = RuleLimits())
    throws -> AnalysisResult
  {
    var options = AnalysisOptions()
    options.detectors = ["rules"]
    options.customRules = rules
    options.ruleLimits = limits
    return try Analyzer(options: options).analyze(
      Fixtures.buffer(lines.joined(separator: "\n") + "\n"))
  }

  func reasons(_ result: AnalysisResult) -> [Int: String] {
    Dictionary(
      uniqueKeysWithValues: result.findings.map { (result.read.records[$0.record].line, $0.reason) }
    )
  }

  @Test func requiredLiteralsAreSafeToPrefilterWith() {
    #expect(CustomRule.requiredLiteral(#"amount=\d{5,}"#) == "amount=")
    #expect(CustomRule.requiredLiteral("Payment (declined|refused)") == nil)
    #expect(CustomRule.requiredLiteral("colou?r changed") == "r changed")
    #expect(CustomRule.requiredLiteral(#"disk\.full at [0-9]+"#) == "disk.full at ")
    #expect(CustomRule.requiredLiteral("a.b") == nil)
  }

  @Test func fieldConditions() throws {
    let atLeast = try #require(FieldCondition(">= 500"))
    #expect(atLeast.holds("503") && !atLeast.holds("404") && !atLeast.holds(nil))
    #expect(try #require(FieldCondition("checkout")).holds("Checkout"))
    #expect(try #require(FieldCondition("!= 200")).holds("201"))
    #expect(try #require(FieldCondition("~ timeout")).holds("read TIMEOUT here"))
    #expect(try #require(FieldCondition("!~ ok")).holds(nil))
    #expect(FieldCondition("> many") == nil)
  }

  @Test func keywordPatternFieldAndLevelRules() throws {
    let lines = [
      "2024-01-15 08:00:00 INFO [Pay] payment declined for order 1 amount=12",
      "2024-01-15 08:00:01 INFO [Pay] payment declined for order 2 amount=99999",
      "2024-01-15 08:00:02 INFO [Pay] payment accepted for order 3 amount=99999",
      "2024-01-15 08:00:03 WARN [Api] request served",
      "2024-01-15 08:00:04 INFO [Api] request served",
      "2024-01-15 08:00:05 INFO [Pay] gateway said CARD REJECTED",
    ]
    let rules = [
      CustomRule(
        name: "declined", keywords: ["payment declined", "card rejected"], severity: "medium"),
      CustomRule(
        name: "big-declined", keywords: ["declined"], pattern: #"amount=\d{5,}"#,
        severity: "critical", tags: ["payments"], description: "large payment declined"),
      CustomRule(
        name: "api-warnings", fields: ["component": "Api"], level: "warning", severity: "low"),
    ]
    let result = try analyze(lines, rules: rules)
    let found = reasons(result)
    #expect(found[1]?.contains("rule 'declined'") == true)
    #expect(found[1]?.contains("big-declined") == false)
    #expect(found[2]?.contains("rule 'big-declined': large payment declined") == true)
    #expect(found[3] == nil)
    #expect(found[4]?.contains("rule 'api-warnings'") == true)
    #expect(found[5] == nil)
    #expect(found[6]?.contains("rule 'declined'") == true)
    let critical = try #require(result.findings.first { result.read.records[$0.record].line == 2 })
    #expect(critical.severity == .critical)
    #expect(critical.tags.contains("payments"))
  }

  @Test func resourceAndSlowQueryLimits() throws {
    let lines = [
      "2024-01-15 08:00:00 INFO [Host] cpu usage 45% memory 97.5 %",
      "2024-01-15 08:00:01 INFO [Host] cpu usage 40% memory 60 %",
      "2024-01-15 08:00:02 INFO [Db] query on orders took 2500 ms",
      "2024-01-15 08:00:03 INFO [Db] query on orders took 20 ms",
      "2024-01-15 08:00:04 INFO [Api] request completed in 9000 ms",
      "2024-01-15 08:00:05 INFO [Db] slow statement finished after 12.5 s",
    ]
    let found = reasons(try analyze(lines))
    #expect(found[1]?.contains("memory 97.5% ≥ 90%") == true)
    #expect(found[2] == nil)
    #expect(found[3]?.contains("slow query: 2500 ms ≥ 1000 ms") == true)
    #expect(found[4] == nil)
    #expect(found[5] == nil)
    #expect(found[6]?.contains("slow query: 12500 ms") == true)
    var limits = RuleLimits()
    limits.resourcePercent = 98
    limits.slowQueryMilliseconds = 5000
    let stricter = reasons(try analyze(lines, limits: limits))
    #expect(stricter[1] == nil && stricter[3] == nil && stricter[6] != nil)
  }

  @Test func aLimitCrossedRoutinelyIsRatedLowerUnlessInABurst() throws {
    func line(_ index: Int, _ percent: Int) -> String {
      String(
        format: "2024-01-15 %02d:%02d:%02d INFO [Host] Memory usage: %d%%", 8 + index / 3600,
        index / 60 % 60, index % 60, percent)
    }
    // Every seventh reading is over 90%, all through the input: the host's normal range.
    let routine = (0..<2000).map { line($0, $0 % 7 == 0 ? 93 : 40 + $0 % 40) }
    let quiet = try analyze(routine)
    #expect(quiet.findings.isEmpty)
    // Readings over 90% only in one stretch: an incident.
    let incident = (0..<2000).map { line($0, (1000..<1030).contains($0) ? 97 : 40 + $0 % 40) }
    let loud = try analyze(incident)
    #expect(loud.findings.count == 30)
    #expect(loud.findings.allSatisfy { $0.reason.contains("memory 97% ≥ 90%") })
  }

  @Test func resourceAndDurationFields() throws {
    let lines = [
      #"{"ts":"2024-01-15T08:00:00Z","level":"info","msg":"host stats","cpu_percent":96,"mem_used_pct":40}"#,
      #"{"ts":"2024-01-15T08:00:01Z","level":"info","msg":"host stats","cpu_percent":20,"mem_used_pct":41}"#,
      #"{"ts":"2024-01-15T08:00:02Z","level":"info","msg":"sql query done","duration_ms":4200}"#,
      #"{"ts":"2024-01-15T08:00:03Z","level":"info","msg":"sql query done","duration_ms":12}"#,
    ]
    let found = reasons(try analyze(lines))
    #expect(found[1]?.contains("cpu_percent 96% ≥ 90%") == true)
    #expect(found[2] == nil)
    #expect(found[3]?.contains("slow query: 4200 ms") == true)
    #expect(found[4] == nil)
  }

  @Test func builtInClasses() throws {
    let lines = [
      "2024-01-15 08:00:00 INFO [Db] could not connect to database orders",
      "2024-01-15 08:00:01 INFO [Proxy] upstream timed out while reading response header",
      "2024-01-15 08:00:02 INFO [App] configuration error: unknown key 'retries'",
      "2024-01-15 08:00:03 INFO [Init] worker restarting after failure",
      "2024-01-15 08:00:04 INFO [App] process terminated by signal 11",
    ]
    let result = try analyze(lines)
    let tags = result.findings.map(\.tags)
    #expect(tags.count == 5)
    for expected in ["database", "dependency", "configuration", "restart", "crash"] {
      #expect(tags.contains { $0.contains(expected) }, "\(expected)")
    }
  }

  @Test func configLoadsRulesThresholdsAndLimits() throws {
    let directory = try Fixtures.temporaryDirectory()
    let path = directory + "/loupe.yaml"
    try """
    severity_thresholds:
      isolation_forest: {critical: 0.9, high: 0.8, medium: 0.7, low: 0.6}
    rule_limits: {resource_percent: 95, brute_force_failures: 5, brute_force_window_s: 60}
    rules:
      - name: declined
        keywords: [payment declined]
        fields: {status: ">= 500"}
        severity: critical
    """.write(toFile: path, atomically: true, encoding: .utf8)
    let config = try LoupeConfig.load(path)
    #expect(config.rules?.first?.name == "declined")
    #expect(config.ruleLimits?.resourcePercent == 95)
    #expect(config.ruleLimits?.slowQueryMilliseconds == 1000)
    #expect(config.ruleLimits?.bruteForceFailures == 5)
    #expect(config.ruleLimits?.bruteForceWindowSeconds == 60)
    #expect(config.severityThresholds?["isolation_forest"]?.low == 0.6)

    for (text, message) in [
      ("rules:\n  - name: x\n", "has no condition"),
      ("rules:\n  - name: x\n    pattern: '('\n", "invalid pattern"),
      ("rules:\n  - name: x\n    keywords: [a]\n    severity: huge\n", "severity must be"),
      (
        "severity_thresholds:\n  nosuch: {critical: 1, high: 1, medium: 1, low: 1}\n",
        "unknown detector"
      ),
      (
        "severity_thresholds:\n  rules: {critical: 0.5, high: 0.9, medium: 0.6, low: 0.4}\n",
        "need 0 ≤ low"
      ),
    ] {
      try text.write(toFile: path, atomically: true, encoding: .utf8)
      #expect(throws: LoupeConfig.LoadError.self) { try LoupeConfig.load(path) }
      do {
        _ = try LoupeConfig.load(path)
      } catch {
        #expect(error.description.contains(message), "\(text)")
        #expect(error.description.hasPrefix(path))
      }
    }
  }
}
