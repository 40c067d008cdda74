import Foundation
import Testing

@testable import LoupeCore

@Suite struct BurstTests {
  func accessLine(_ index: Int, client: String, status: Int) -> String {
    let clock = String(format: "%02d:%02d:%02d", 8 + index / 3600, index / 60 % 60, index % 60)
    return
      "\(client) - - [15/Jan/2024:\(clock) +0000] \"GET /item/\(index % 97) HTTP/1.1\" \(status) 512 \"-\" \"Mozilla/5.0\""
  }

  func analyze(_ lines: [String]) throws -> AnalysisResult {
    var options = AnalysisOptions()
    options.detectors = ["burst"]
    return try Analyzer(options: options).analyze(
      Fixtures.buffer(lines.joined(separator: "\n") + "\n", name: "access.log"))
  }

  @Test func aHammeringClientAndA5xxBurstAreFlagged() throws {
    var random = SeededRandom(seed: 5)
    var lines = (0..<5000).map {
      accessLine(
        $0, client: "10.0.\(random.nextIndex(200)).\(random.nextIndex(250))",
        status: random.nextIndex(500) == 0 ? 500 : 200)
    }
    for index in 2000..<2040 {
      lines[index] = accessLine(index, client: "203.0.113.9", status: 200)
    }
    for index in 3500..<3520 {
      lines[index] = accessLine(index, client: "10.0.0.\(index % 200)", status: 503)
    }
    let result = try analyze(lines)
    let byLine = Dictionary(
      uniqueKeysWithValues: result.findings.map { (result.read.records[$0.record].line, $0) })
    #expect(
      (2001...2040).allSatisfy { byLine[$0]?.reason.contains("client 203.0.113.9 made") == true })
    #expect((3501...3520).allSatisfy { byLine[$0]?.reason.contains("server errors (5xx)") == true })
    #expect(result.findings.count <= 70)
  }

  @Test func steadyTrafficHasNoBursts() throws {
    var random = SeededRandom(seed: 6)
    let lines = (0..<5000).map {
      accessLine(
        $0, client: "10.0.0.\(random.nextIndex(20))", status: random.nextIndex(100) == 0 ? 502 : 200
      )
    }
    #expect(try analyze(lines).findings.isEmpty)
  }
}
