import Foundation
import Testing

@testable import LoupeCore

/// A JSON access log, under the field names of nginx's JSON format or of Elastic Common Schema,
/// is judged as an access log.
@Suite struct JSONAccessLogTests {
  func nginx(_ index: Int, uri: String, status: Int = 200, agent: String = "Mozilla/5.0") -> String
  {
    String(
      format:
        #"{"time":"2024-01-15T08:%02d:%02dZ","remote_addr":"10.0.%d.%d","request_method":"GET","request_uri":"%@","status":%d,"body_bytes_sent":%d,"http_user_agent":"%@"}"#,
      index / 60 % 60, index % 60, index % 7, index % 13, uri, status, 500 + index % 40, agent)
  }

  @Test func nginxJSONNames() throws {
    var lines = (0..<2_000).map { nginx($0, uri: "/page/\($0 % 50)") }
    lines[500] = nginx(500, uri: "/search?q=1%27%20or%201=1--")
    lines[900] = nginx(900, uri: "/page/3", agent: "sqlmap/1.7.2#stable")
    for index in 1_500..<1_530 { lines[index] = nginx(index, uri: "/api/pay", status: 503) }
    let result = try Fixtures.analyze(lines)
    #expect(result.read.formatName == "json")
    #expect(result.read.records[0].level == .info)
    #expect(result.read.records[1_500].level == .error)
    let byLine = Dictionary(
      uniqueKeysWithValues: result.findings.map { (result.read.records[$0.record].line, $0) })
    #expect(byLine[501]?.reason.contains("attack marker") == true)
    #expect(byLine[901]?.reason.contains("scanner user agent (sqlmap)") == true)
    #expect(byLine[1_501]?.reason.contains("30 server errors (5xx)") == true)
    let burst = try #require(result.reports.first { $0.name == "burst" })
    #expect(burst.parameters["skipped"] == nil)
    let forest = try #require(result.reports.first { $0.name == "iforest" })
    #expect(forest.parameters["features"]?.contains("status_class") == true)
  }

  /// Traefik's JSON access log: `DownstreamStatus`, `RequestPath`, `ClientHost`, and the
  /// user agent as a kept header.
  @Test func traefikNames() throws {
    var lines = (0..<2_000).map { index -> String in
      let status = (1_200..<1_230).contains(index) ? 502 : 200
      let path = index == 600 ? "/../../etc/passwd" : "/api/items/\(index % 90)"
      return
        #"{"ClientHost":"10.0.\#(index % 5).\#(index % 200)","DownstreamStatus":\#(status),"Duration":\#(2_000_000 + index % 50 * 100_000),"RequestMethod":"GET","RequestPath":"\#(path)","RouterName":"api@docker","level":"info","msg":"","time":"2024-01-15T08:\#(String(format: "%02d:%02d", index / 60 % 60, index % 60))Z","request_User-Agent":"Mozilla/5.0"}"#
    }
    lines[1_000] = lines[1_000].replacingOccurrences(of: "Mozilla/5.0", with: "Nikto/2.5.0")
    let result = try Fixtures.analyze(lines)
    let byLine = Dictionary(
      uniqueKeysWithValues: result.findings.map { (result.read.records[$0.record].line, $0) })
    #expect(byLine[601]?.reason.contains("attack marker") == true)
    #expect(byLine[1_001]?.reason.contains("scanner user agent") == true)
    #expect(byLine[1_201]?.reason.contains("30 server errors (5xx)") == true)
  }

  @Test func namesAreResolvedPerInput() throws {
    let records = try Fixtures.read(
      """
      {"http":{"request":{"method":"POST"},"response":{"status_code":404}},"url":{"path":"/x"}}
      {"http":{"request":{"method":"GET"},"response":{"status_code":200}},"url":{"path":"/y"}}
      """
    ).records
    #expect(RequestField.status.name(in: records) == "http.response.status_code")
    #expect(RequestField.uri.name(in: records) == "url.path")
    #expect(RequestField.method.name(in: records) == "http.request.method")
    #expect(RequestField.client.name(in: records) == "client")
    #expect(records.map(\.level) == [.warning, .info])
  }
}
