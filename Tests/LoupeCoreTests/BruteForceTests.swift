import Testing

@testable import LoupeCore

/// Many authentication failures from one source in a short time are one brute-force finding.
@Suite struct BruteForceTests {
  func syslog(_ second: Int, _ message: String) -> String {
    Fixtures.syslog(second, host: "web01", message)
  }

  func lines() -> [String] {
    var lines = (0..<6_000).map { syslog($0 * 5, "cron[\(100 + $0 % 50)]: job \($0) started") }
    // A guesser: 25 failures in two minutes from one address.
    for attempt in 0..<25 {
      let index = 2_001 + attempt * 2
      lines[index] = syslog(
        index * 5,
        "sshd[\(900 + attempt)]: Failed password for root from 203.0.113.9 port \(40_000 + attempt) ssh2"
      )
    }
    // Someone who mistypes now and then: one failure every ten minutes.
    for attempt in 0..<20 {
      let index = 100 + attempt * 120
      lines[index] = syslog(
        index * 5,
        "sshd[\(700 + attempt)]: Failed password for bob from 198.51.100.4 port \(50_000 + attempt) ssh2"
      )
    }
    // PAM names the remote host: twelve failures in a minute.
    for attempt in 0..<12 {
      let index = 4_000 + attempt
      lines[index] = syslog(
        index * 5,
        "sshd(pam_unix)[\(800 + attempt)]: authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=bad.example.net user=root"
      )
    }
    return lines
  }

  func analyze(_ lines: [String], limits: RuleLimits = RuleLimits()) throws -> AnalysisResult {
    return try Fixtures.analyze(lines, detectors: ["bruteforce"], ruleLimits: limits)
  }

  @Test func manySourcesGuessingOneAccountAreOneFinding() throws {
    var lines = (0..<3_000).map { syslog($0 * 5, "cron[\(100 + $0 % 50)]: job \($0) started") }
    // A botnet: 30 addresses, one or two tries each, all at root, within ten minutes.
    for attempt in 0..<40 {
      let index = 1_000 + attempt * 3
      lines[index] = syslog(
        index * 5,
        "sshd[\(900 + attempt)]: Failed password for root from 198.51.100.\(attempt % 30) port \(40_000 + attempt) ssh2"
      )
    }
    // Users mistyping their own passwords now and then, from their own addresses.
    for attempt in 0..<12 {
      let index = 2_000 + attempt * 60
      lines[index] = syslog(
        index * 5,
        "sshd[\(700 + attempt)]: Failed password for invalid user user\(attempt % 3) from 10.0.0.\(attempt) port 22 ssh2"
      )
    }
    let result = try analyze(lines)
    #expect(result.findings.count == 1)
    let finding = try #require(result.findings.first)
    #expect(result.read.records[finding.record].line == 1_001)
    #expect(
      finding.reason.contains(
        "distributed brute force: 40 authentication failures for root from 30 sources in 9.8 min"))
    let report = try #require(result.reports.first { $0.name == "bruteforce" })
    #expect(report.parameters["account_runs"] == "1")
  }

  @Test func accountsAreReadWhereLogsName() {
    let cases: [(String, String?)] = [
      ("Failed password for root from 1.2.3.4 port 22 ssh2", "root"),
      ("Failed password for invalid user admin from 1.2.3.4 port 22 ssh2", "admin"),
      ("Invalid user oracle from 1.2.3.4 port 22", "oracle"),
      (
        "authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root",
        "root"
      ),
      ("login failed from 1.2.3.4", nil),
      (
        "An account failed to log on.\r\n\r\nSubject:\r\n\tAccount Name:\t\tSYSTEM\r\n\r\nAccount For Which Logon Failed:\r\n\tAccount Name:\t\tbob\r\n",
        "bob"
      ),
      ("Account For Which Logon Failed:\r\n\tAccount Name:\t\t-\r\n", nil),
    ]
    for (text, expected) in cases {
      let bytes = Array(text.utf8)
      let account = bytes.withUnsafeBufferPointer { TargetAccount.find($0, ByteSpan(0, $0.count)) }
      #expect(account == expected, "\(text)")
    }
  }

  @Test func aGuesserIsOneFindingAMistypistNone() throws {
    let result = try analyze(lines())
    let found = result.findings.map { (result.read.records[$0.record].line, $0) }
    #expect(found.map(\.0) == [2_002, 4_001])
    #expect(found.first?.1.severity == .high)
    #expect(
      found.first?.1.reason
        == "bruteforce: brute force: 25 authentication failures from 203.0.113.9 in 4 min (2024-01-15 02:46:45 to 2024-01-15 02:50:45)"
    )
    #expect(
      found.last?.1.reason.contains("12 authentication failures from bad.example.net") == true)
    let report = try #require(result.reports.first { $0.name == "bruteforce" })
    #expect(report.parameters["runs"] == "2")
    #expect(report.parameters["failures"] == "10")
  }

  @Test func theLimitsAreConfigurable() throws {
    var limits = RuleLimits()
    limits.bruteForceFailures = 20
    #expect(try analyze(lines(), limits: limits).findings.count == 1)
    limits.bruteForceFailures = 10
    limits.bruteForceWindowSeconds = 60
    #expect(try analyze(lines(), limits: limits).findings.count == 1)
  }

  /// On an access log, a client answered 401 again and again is guessing credentials.
  @Test func repeated401sFromOneClient() throws {
    func request(_ index: Int, client: String, uri: String, status: Int) -> String {
      String(
        format:
          "%@ - - [15/Jan/2024:08:%02d:%02d +0000] \"POST %@ HTTP/1.1\" %d 512 \"-\" \"curl/8\"",
        client, index / 60 % 60, index % 60, uri, status)
    }
    var lines = (0..<2_000).map {
      request($0, client: "10.0.\($0 % 9).\($0 % 17)", uri: "/page/\($0 % 40)", status: 200)
    }
    for attempt in 0..<15 {
      lines[1_000 + attempt * 3] = request(
        1_000 + attempt * 3, client: "198.51.100.77", uri: "/login", status: 401)
    }
    let result = try Fixtures.analyze(lines, detectors: ["bruteforce"])
    #expect(result.findings.map { result.read.records[$0.record].line } == [1_001])
    #expect(
      result.findings.first?.reason.contains("15 authentication failures from 198.51.100.77")
        == true)
  }

  @Test func sourceAddresses() {
    func source(_ text: String) -> String? {
      let bytes = Array(text.utf8)
      return bytes.withUnsafeBufferPointer { SourceAddress.find($0, ByteSpan(0, $0.count)) }
    }
    #expect(source("Failed password for root from 203.0.113.9 port 22") == "203.0.113.9")
    #expect(source("Invalid user admin from 10.0.0.1") == "10.0.0.1")
    #expect(source("version 1.2.3.4.5 from 10.0.0.256") == nil)
    #expect(source("failure; rhost=c9063558.virtua.com.br user=root") == "c9063558.virtua.com.br")
    #expect(source("login failed for bob") == nil)
  }
}
