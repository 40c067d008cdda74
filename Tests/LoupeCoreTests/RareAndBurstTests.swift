import Testing

@testable import LoupeCore

@Suite struct RareAndBurstTests {
  func analyze(_ lines: [String], detectors: [String]) throws -> AnalysisResult {
    var options = AnalysisOptions()
    options.detectors = detectors
    options.read.format = "app"
    options.read.defaultYear = 2024
    return try Analyzer(options: options).analyze(
      Fixtures.buffer(lines.joined(separator: "\n") + "\n"))
  }

  func line(_ index: Int, _ level: String, _ message: String) -> String {
    "2024-01-15 08:\(String(format: "%02d:%02d", index / 60 % 60, index % 60)) \(level) [Svc] \(message)"
  }

  @Test func rareTemplatesScoreBySurprise() throws {
    var lines = (0..<10_000).map { line($0, "INFO", "request \($0) served") }
    // An error and warnings: rarity weighs in full on errors, and on warnings up to 0.6
    // (less on informational messages).
    lines[5000] = line(5000, "ERROR", "vault sealed by operator")
    for index in stride(from: 100, to: 10_000, by: 200) {
      lines[index] = line(index, "WARN", "cache warmed in \(index) ms")
    }
    let result = try analyze(lines, detectors: ["rare"])
    let byLine = Dictionary(
      uniqueKeysWithValues: result.findings.map { (result.read.records[$0.record].line, $0) })
    // The one-off message: surprise 1, capped at 0.85.
    let once = try #require(byLine[5001])
    #expect(once.score == 0.85)
    #expect(once.reason == "rare: a message seen once in 10000 records")
    // 50 occurrences in 10,000: surprise 1 − ln 50 / ln 10000 ≈ 0.575, a low finding.
    let cache = try #require(byLine[101])
    #expect(abs(cache.score - (1 - _log(50.0) / _log(10_000.0))) < 1e-9)
    #expect(cache.severity == .low)
    #expect(cache.reason == "rare: template seen 50 times in 10000 records")
    #expect(result.findings.count == 51)
  }

  @Test func steadyRecurringErrorsAreRatedLowerBurstsAreNot() throws {
    var lines = (0..<20_000).map { line($0, "INFO", "request \($0) served") }
    // A chronic error every 40 lines, and a burst of 20 failures in a row.
    for index in stride(from: 0, to: 20_000, by: 40) {
      lines[index] = line(index, "ERROR", "nightly sync failed: remote busy")
    }
    for index in 10_001...10_020 {
      lines[index] = line(index, "WARN", "login failed for admin from 203.0.113.9")
    }
    let result = try analyze(lines, detectors: ["rules"])
    let flagged = Set(result.findings.map { result.read.records[$0.record].line })
    #expect(flagged == Set(10_002...10_021))
    let bursty = RuleDetector.burstyTemplates(result.templates, records: result.read.records.count)
    #expect(bursty.filter { $0 }.count == 1)
    #expect(PoissonTail.log10Upper(atLeast: 0, mean: 2) == 0)
    #expect(abs(PoissonTail.log10Upper(atLeast: 1, mean: 0.5) - _log10(1 - _exp(-0.5))) < 1e-12)
  }
}
