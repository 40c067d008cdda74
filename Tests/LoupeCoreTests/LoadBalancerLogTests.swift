import Testing

@testable import LoupeCore

/// AWS load balancer access logs, with the example lines of AWS's documentation.
@Suite struct LoadBalancerLogTests {
  @Test func applicationLoadBalancer() throws {
    let read = try Fixtures.read(
      #"""
      https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 "GET https://www.example.com:443/ HTTP/1.1" "curl/7.46.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337281-1d84f3d73c47ec4e58577259" "www.example.com" "arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012" 1 2018-07-02T22:22:48.364000Z "authenticate,forward" "-" "-" "10.0.0.1:80" "200" "-" "-"
      http 2018-07-02T22:23:01.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.40:2818 - -1 -1 -1 502 - 34 366 "GET http://www.example.com:80/api/orders HTTP/1.1" "sqlmap/1.7" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z "forward" "-" "LambdaInvalidResponse" "-" "-" "-" "-"

      """#)
    #expect(read.formatName == "elb")
    #expect(read.unparsedCount == 0)
    #expect(read.records.map(\.level) == [.info, .error])
    #expect(read.records[0].timestamp == epoch(2018, 7, 2, 22, 23) + 0.186641)
    #expect(read.field(0, "client") == "192.168.131.39")
    #expect(read.field(0, "uri") == "https://www.example.com:443/")
    #expect(read.field(0, "response_time") == "0.048")
    #expect(read.field(0, "domain") == "www.example.com")
    #expect(read.field(1, "error_reason") == "LambdaInvalidResponse")
    #expect(read.field(1, "user_agent") == "sqlmap/1.7")
    #expect(
      read.text(read.records[1].message) == "GET http://www.example.com:80/api/orders HTTP/1.1")
  }

  @Test func classicLoadBalancer() throws {
    let read = try Fixtures.read(
      #"""
      2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.000073 0.001048 0.000057 200 200 0 29 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.38.0" - -
      2015-05-13T23:39:44.945958Z my-loadbalancer 192.168.131.39:2818 10.0.0.1:80 0.000086 0.001048 0.001337 404 404 0 57 "GET https://www.example.com:443/missing HTTP/1.1" "curl/7.38.0" DHE-RSA-AES128-SHA TLSv1.2

      """#)
    #expect(read.formatName == "elb")
    #expect(read.records.map(\.level) == [.info, .warning])
    #expect(read.field(1, "ssl_protocol") == "TLSv1.2")
    #expect(read.field(1, "status") == "404")
  }
}

/// HAProxy's HTTP logs in syslog.
@Suite struct HAProxyLogTests {
  @Test func httpLogsGetTheirRequestFields() throws {
    let read = try Fixtures.read(
      #"""
      Jan 15 08:00:00 lb1 haproxy[100]: 10.0.0.5:51515 [15/Jan/2024:08:00:00.123] fe be/srv1 0/0/1/2/3 200 512 - - ---- 1/1/0/0/0 0/0 "GET /index.html HTTP/1.1"
      Jan 15 08:00:01 lb1 haproxy[100]: 10.0.0.6:51516 [15/Jan/2024:08:00:01.123] fe be/srv2 0/0/1/-1/5002 503 212 - - sC-- 1/1/0/0/0 0/0 "POST /api/orders HTTP/1.1"
      Jan 15 08:00:02 lb1 haproxy[100]: Server be/srv2 is DOWN, reason: Layer4 timeout

      """#)
    #expect(read.formatName == "syslog")
    #expect(read.records.map(\.level) == [.info, .error, nil])
    #expect(read.field(1, "client") == "10.0.0.6")
    #expect(read.field(1, "server") == "srv2")
    #expect(read.field(1, "response_time") == "-1")
    #expect(read.field(1, "termination_state") == "sC--")
    #expect(read.field(1, "uri") == "/api/orders")
    #expect(read.field(2, "status") == nil)
  }
}
