import Testing

@testable import LoupeCore

@Suite struct AccessAndErrorLogTests {
  @Test func combinedFormat() throws {
    let result = try Fixtures.read(
      """
      203.0.113.9 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif?x=1 HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"
      203.0.113.10 - - [10/Oct/2000:13:55:37 -0700] "POST /login HTTP/1.1" 503 - "-" "curl/8.0"
      """)
    #expect(result.formatName == "access")
    #expect(result.records.count == 2)
    #expect(result.field(0, "client") == "203.0.113.9")
    #expect(result.field(0, "user") == "frank")
    #expect(result.field(0, "method") == "GET")
    #expect(result.field(0, "uri") == "/apache_pb.gif?x=1")
    #expect(result.field(0, "protocol") == "HTTP/1.0")
    #expect(result.field(0, "status") == "200")
    #expect(result.field(0, "bytes") == "2326")
    #expect(result.field(0, "referrer") == "http://www.example.com/start.html")
    #expect(result.field(0, "user_agent") == "Mozilla/4.08 [en] (Win98; I ;Nav)")
    #expect(result.records[0].timestamp == epoch(2000, 10, 10, 20, 55, 36))
    #expect(result.records[0].level == .info)
    #expect(result.records[1].level == .error)
    #expect(result.field(1, "bytes") == "-")
  }

  @Test func commonFormatAndNginxTiming() throws {
    let result = try Fixtures.read(
      """
      127.0.0.1 - - [15/Jan/2024:08:00:00 +0000] "GET / HTTP/1.1" 404 153
      10.0.0.2 - - [15/Jan/2024:08:00:01 +0000] "GET /api/items HTTP/2.0" 200 512 "-" "Go-http-client/2.0" 0.045
      """, format: "nginx")
    #expect(result.records.allSatisfy { $0.parsed })
    #expect(result.records[0].level == .warning)
    #expect(result.field(0, "referrer") == nil)
    #expect(result.field(1, "response_time") == "0.045")
  }

  /// The Kubernetes ingress-nginx controller's columns after the user agent: the request's
  /// length is not its time.
  @Test func ingressNginxColumns() throws {
    let result = try Fixtures.read(
      """
      10.0.0.2 - - [15/Jan/2024:08:00:01 +0000] "GET /api/items HTTP/1.1" 200 612 "-" "curl/8.0" 74 0.002 [default-web-80] [] 10.244.0.5:80 612 0.002 200 5c7d1e
      10.0.0.3 - - [15/Jan/2024:08:00:02 +0000] "POST /api/pay HTTP/1.1" 504 160 "-" "curl/8.0" 318 60.001 [default-pay-80] [] 10.244.0.9:80 0 60.000 504 9a2b3c

      """)
    #expect(result.formatName == "access")
    #expect(result.field(0, "request_length") == "74")
    #expect(result.field(0, "response_time") == "0.002")
    #expect(result.field(1, "response_time") == "60.001")
    #expect(result.field(1, "upstream_name") == "[default-pay-80]")
    #expect(result.field(1, "upstream_addr") == "10.244.0.9:80")
    #expect(result.field(1, "upstream_status") == "504")
    #expect(result.field(1, "request_id") == "9a2b3c")
  }

  @Test func syslogWrappedAccessLinesInQuotedCSVFromTheDataset() throws {
    let source = try #require(
      try InputReader.read(.file(Fixtures.dataset("web/orglog1.csv"))).0 as SourceBuffer?)
    var options = ReadOptions()
    options.defaultYear = 2026
    let result = try RecordReader.read(source, options: options)
    #expect(result.formatName == "csv-wrapped+access")
    #expect(result.records.count == 1000)
    #expect(result.unparsedCount == 0)
    #expect(result.field(0, "method") == "GET")
    #expect(
      result.field(0, "uri")
        == "/etc.clientlibs/UtxPortal/clientlibs/clientlib-angular18.4.0/resources/manifest.json")
    #expect(result.field(0, "status") == "302")
    #expect(result.field(0, "prefix") == "0.1.0.1 12345 abc.example.net")
    #expect(result.field(0, "response_time") == "1")
    #expect(result.field(0, "user_agent")?.hasPrefix("Mozilla/5.0 (Windows NT 10.0") == true)
    #expect(result.text(result.records[0].host) == "servernameabc")
    #expect(result.text(result.records[0].process) == "httpd")
    #expect(result.records[0].pid == 12345)
    #expect(result.records[0].timestamp == epoch(2026, 1, 28, 3, 29, 59))
  }

  @Test func apacheErrorLogs() throws {
    let result = try Fixtures.read(
      """
      [Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties
      [Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6
      [Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187:5000] AH00124: Request exceeded the limit
      """)
    #expect(result.formatName == "web-error")
    #expect(result.records.map(\.level) == [.notice, .error, .error])
    #expect(result.text(result.records[1].message) == "mod_jk child workerEnv in error state 6")
    #expect(result.records[2].pid == 35708)
    #expect(result.field(2, "module") == "core")
    #expect(result.field(2, "client") == "72.15.99.187:5000")
    #expect(result.text(result.records[2].message) == "AH00124: Request exceeded the limit")
  }

  @Test func nginxErrorLog() throws {
    let result = try Fixtures.read(
      """
      2024/01/15 08:00:00 [error] 1234#5678: *9 open() "/var/www/x" failed (2: No such file or directory), client: 10.0.0.1, server: example.com, request: "GET /x HTTP/1.1", host: "example.com"
      2024/01/15 08:00:01 [warn] 1234#5678: *10 upstream response is buffered
      """)
    #expect(result.formatName == "web-error")
    #expect(result.records[0].level == .error)
    #expect(result.records[0].pid == 1234)
    #expect(result.field(0, "connection") == "9")
    #expect(result.field(0, "client") == "10.0.0.1")
    #expect(result.field(0, "request") == "GET /x HTTP/1.1")
    #expect(result.field(0, "host") == "example.com")
    #expect(
      result.text(result.records[0].message)
        == "open() \"/var/www/x\" failed (2: No such file or directory)")
    #expect(result.records[1].level == .warning)
  }
}
