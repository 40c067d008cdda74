import Testing

@testable import LoupeCore

/// Envoy's and Istio's access logs.
@Suite struct EnvoyAccessLogTests {
  static let envoy =
    #"[2024-01-15T08:00:00.123Z] "GET /api/items/7 HTTP/1.1" 503 UH 0 91 5 - "203.0.113.9, 10.0.0.2" "curl/8.0" "6f1c-4e2a" "api.example.com" "-""#
  static let istio =
    #"[2020-11-25T21:26:18.409Z] "GET /status/418 HTTP/1.1" 418 - via_upstream - "-" 0 135 4 4 "-" "curl/7.73.0-DEV" "84961386-6d84" "httpbin:8000" "10.44.1.27:80" outbound|8000||httpbin.foo.svc.cluster.local 10.44.1.23:37652 10.0.45.184:8000 10.44.1.23:46520 - default"#
  static let tcp =
    #"[2020-11-25T21:26:19.000Z] "- - -" 0 - - - "-" 1234 5678 100 - "-" "-" "-" "-" "10.44.1.30:3306" outbound|3306||mysql 10.44.1.23:41000 10.0.45.9:3306 10.44.1.23:41002 - -"#

  @Test func bothLayoutsGiveTheRequestFields() throws {
    let read = try Fixtures.read([Self.envoy, Self.istio, Self.tcp].joined(separator: "\n") + "\n")
    #expect(read.formatName == "envoy")
    #expect(read.unparsedCount == 0)
    #expect(read.records[0].timestamp == epoch(2024, 1, 15, 8, 0, 0) + 0.123)
    #expect(read.field(0, "method") == "GET")
    #expect(read.field(0, "uri") == "/api/items/7")
    #expect(read.field(0, "status") == "503")
    #expect(read.field(0, "response_flags") == "UH")
    #expect(read.field(0, "bytes") == "91")
    #expect(read.field(0, "duration_ms") == "5")
    #expect(read.field(0, "user_agent") == "curl/8.0")
    #expect(read.field(0, "authority") == "api.example.com")
    // The first forwarded-for address is the client.
    #expect(read.field(0, "client") == "203.0.113.9")
    #expect(read.records[0].level == .error)
    #expect(read.text(read.records[0].message) == #""GET /api/items/7 HTTP/1.1" 503 UH"#)
    // Istio: three more columns before the counts, six after the quoted ones.
    #expect(read.field(1, "status") == "418")
    #expect(read.field(1, "bytes") == "135")
    #expect(read.field(1, "upstream_service_time_ms") == "4")
    #expect(read.field(1, "upstream_cluster") == "outbound|8000||httpbin.foo.svc.cluster.local")
    #expect(read.field(1, "client") == "10.44.1.23")
    #expect(read.records[1].level == .warning)
    // A TCP connection has no request and status 0.
    #expect(read.records[2].level == .info)
    #expect(read.field(2, "bytes_received") == "1234")
  }

  @Test func aBurstOfUnavailableUpstreamsAndAnInjectionAreFound() throws {
    let lines = (0..<2_000).map { index -> String in
      let time = String(format: "2024-01-15T08:%02d:%02d.%03dZ", index / 60 % 60, index % 60, index)
      let status = (1_500..<1_530).contains(index) ? "503 UH" : "200 -"
      let path = index == 700 ? "/api/items?id=1'%20OR%201=1--" : "/api/items/\(index % 90)"
      return
        #"[\#(time)] "GET \#(path) HTTP/1.1" \#(status) 0 \#(900 + index % 300) \#(3 + index % 20) 2 "10.0.\#(index % 5).\#(index % 200)" "Mozilla/5.0" "req-\#(index)" "api.example.com" "10.1.0.5:8080""#
    }
    let result = try Fixtures.analyze(lines, detectors: ["rules", "burst"])
    let injection = result.findings.first { result.read.records[$0.record].line == 701 }
    #expect(injection?.reason.contains("attack marker") == true)
    let burst = try #require(result.findings.first { $0.reason.contains("server errors (5xx)") })
    #expect((1_501...1_530).contains(result.read.records[burst.record].line))
  }
}
