import Testing

@testable import LoupeCore

/// One source trying many destinations in a short time is one port-scan finding.
@Suite struct ScanTests {
  func syslog(_ second: Int, _ message: String) -> String {
    Fixtures.syslog(8 * 3600 + second, host: "fw01", message)
  }

  /// The kernel firewall's lines: clients reach two services; one address walks through 40
  /// ports in 40 seconds.
  @Test func kernelFirewallLines() throws {
    var lines = (0..<3_000).map { index in
      syslog(
        index * 2,
        "kernel: [\(index).000] UFW ALLOW IN=eth0 OUT= SRC=10.0.\(index % 7).\(index % 50) DST=10.0.0.1 PROTO=TCP SPT=\(40_000 + index) DPT=\(index % 2 == 0 ? 443 : 22)"
      )
    }
    for probe in 0..<40 {
      let index = 1_500 + probe
      lines[index] = syslog(
        1_500 * 2 + probe,
        "kernel: [\(index).000] UFW BLOCK IN=eth0 OUT= SRC=198.51.100.66 DST=10.0.0.1 PROTO=TCP SPT=51000 DPT=\(1_000 + probe)"
      )
    }
    let result = try Fixtures.analyze(lines, detectors: ["scan"])
    #expect(result.findings.map { result.read.records[$0.record].line } == [1_501])
    let finding = try #require(result.findings.first)
    #expect(
      finding.reason.contains("port scan: 198.51.100.66 tried 40 destinations on 1 host in 39 s"))
    #expect(finding.severity >= .high)
    #expect(finding.tags.contains("security"))
  }

  /// Cisco ASA's deny lines: a sweep of 30 hosts on one port.
  @Test func asaSweep() throws {
    var lines = (0..<2_000).map { index in
      syslog(
        index,
        "%ASA-6-302013: Built outbound TCP connection \(index) for outside:93.184.216.\(index % 20)/443 (93.184.216.\(index % 20)/443) to inside:10.0.0.\(index % 30)/\(50_000 + index) (10.0.0.\(index % 30)/\(50_000 + index))"
      )
    }
    for probe in 0..<30 {
      lines[800 + probe] = syslog(
        800 + probe,
        "%ASA-4-106023: Deny tcp src outside:203.0.113.7/\(40_000 + probe) dst inside:10.0.1.\(probe)/3389 by access-group \"outside_in\" [0x0, 0x0]"
      )
    }
    let result = try Fixtures.analyze(lines, detectors: ["scan"])
    #expect(result.findings.map { result.read.records[$0.record].line } == [801])
    #expect(
      result.findings.first?.reason.contains("203.0.113.7 tried 30 destinations on 30 hosts")
        == true)
  }

  /// Flow records by field: a busy client using two services many times is no scan.
  @Test func flowFieldsAndBusyClients() throws {
    var lines = (0..<2_000).map { index -> String in
      let time = String(format: "2024-01-15T08:%02d:%02dZ", index / 60 % 60, index % 60)
      return
        #"{"timestamp":"\#(time)","event_type":"flow","src_ip":"10.0.0.\#(index % 3)","dest_ip":"10.0.1.\#(index % 2)","dest_port":\#(index % 2 == 0 ? 443 : 5432)}"#
    }
    for probe in 0..<25 {
      let time = String(format: "2024-01-15T08:20:%02dZ", probe)
      lines[1_200 + probe] =
        #"{"timestamp":"\#(time)","event_type":"flow","src_ip":"10.0.0.99","dest_ip":"10.0.1.5","dest_port":\#(20 + probe)}"#
    }
    let result = try Fixtures.analyze(lines, detectors: ["scan"])
    #expect(result.findings.map { result.read.records[$0.record].line } == [1_201])
    let report = try #require(result.reports.first)
    #expect(report.parameters["runs"] == "1")
    let quiet = try Fixtures.analyze(Array(lines.prefix(1_000)), detectors: ["scan"])
    #expect(quiet.findings.isEmpty)
  }
}
