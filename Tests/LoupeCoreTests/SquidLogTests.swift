import Testing

@testable import LoupeCore

/// Squid's native access log.
@Suite struct SquidLogTests {
  func line(_ index: Int, client: String, request: String, result: String = "TCP_MISS/200")
    -> String
  {
    let time = String(format: "%.3f", 1_705_305_600.0 + Double(index) * 0.5)
    return
      "\(time)    \(40 + index % 300) \(client) \(result) \(1_000 + index % 700 * 13) \(request) - HIER_DIRECT/93.184.216.34 text/html"
  }

  @Test func linesGiveTheRequestFields() throws {
    let lines = [
      line(0, client: "10.0.0.5", request: "GET http://example.com/index.html"),
      line(1, client: "10.0.0.7", request: "CONNECT evil.example:443", result: "TCP_DENIED/403"),
    ]
    let read = try Fixtures.read(lines.joined(separator: "\n") + "\n")
    #expect(read.formatName == "squid")
    #expect(read.records[0].timestamp == 1_705_305_600)
    #expect(read.field(0, "client") == "10.0.0.5")
    #expect(read.field(0, "response_time") == "40")
    #expect(read.field(0, "result_code") == "TCP_MISS")
    #expect(read.field(0, "status") == "200")
    #expect(read.field(0, "method") == "GET")
    #expect(read.field(0, "uri") == "http://example.com/index.html")
    #expect(read.field(0, "hierarchy") == "HIER_DIRECT/93.184.216.34")
    #expect(read.field(0, "content_type") == "text/html")
    #expect(read.records[0].level == .info)
    #expect(read.records[1].level == .warning)
    #expect(read.text(read.records[1].message) == "TCP_DENIED/403 1013 CONNECT evil.example:443")
  }

  @Test func anInjectionThroughTheProxyIsAnAttack() throws {
    var lines = (0..<400).map {
      line($0, client: "10.0.0.\($0 % 50)", request: "GET http://example.com/item/\($0 % 90)")
    }
    lines[200] = line(
      200, client: "10.0.0.66", request: "GET http://shop.example.com/search?q=1'%20OR%201=1--")
    let result = try Fixtures.analyze(lines, detectors: ["rules"])
    #expect(result.findings.count == 1)
    let finding = try #require(result.findings.first)
    #expect(result.read.records[finding.record].line == 201)
    #expect(finding.reason.contains("attack marker"))
  }
}
