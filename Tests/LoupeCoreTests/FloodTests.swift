import Testing

@testable import LoupeCore

@Suite struct FloodTests {
  @Test func aFloodIsOneFindingWithItsSpan() throws {
    var lines: [String] = []
    for index in 0..<6000 {
      let time = String(
        format: "2024-01-15 %02d:%02d:%02d", 8 + index / 3600, index / 60 % 60, index % 60)
      if (3000..<4200).contains(index) {
        lines.append("\(time) WARN [Queue] retrying delivery of message \(index)")
      } else {
        lines.append("\(time) INFO [Api] request \(index) served in \(index % 50) ms")
      }
    }
    var options = AnalysisOptions()
    options.detectors = ["flood"]
    options.read.defaultYear = 2024
    let result = try Analyzer(options: options).analyze(
      Fixtures.buffer(lines.joined(separator: "\n") + "\n"))
    #expect(result.findings.count == 1)
    let finding = try #require(result.findings.first)
    #expect(result.read.records[finding.record].line == 3001)
    #expect(finding.reason.contains("flood: \"retrying delivery of message <*>\" made"))
    #expect(finding.severity >= .high)
    let summary = AnalysisSummary(result, options: options)
    let flood = try #require(summary.floods.first)
    #expect(flood.count == 1200)
    #expect(flood.firstLine <= 3001 && flood.lastLine >= 4200)
    #expect(flood.start != nil)
    // 1,200 of 6,000 records overall: 20% of the flood's span was to be expected.
    let span = Double(flood.lastLine - flood.firstLine + 1)
    #expect(flood.expected == (span * 0.2 * 10).rounded() / 10)
    #expect(finding.reason.contains("records (usual \(ReasonText.number(span * 0.2)); up to"))
  }

  @Test func aTemplateThatIsAlwaysDominantIsNoFlood() throws {
    let lines = (0..<5000).map { "2024-01-15 08:00:00 INFO [Api] request \($0) served" }
    var options = AnalysisOptions()
    options.detectors = ["flood"]
    let result = try Analyzer(options: options).analyze(
      Fixtures.buffer(lines.joined(separator: "\n") + "\n"))
    #expect(result.findings.isEmpty)
  }
}
