import Testing

@testable import LoupeCore

/// Alerts of intrusion detection systems are findings, scored by their priority.
@Suite struct IntrusionAlertTests {
  func eveLine(_ index: Int, alert: (signature: String, severity: Int)? = nil) -> String {
    let time = String(format: "2024-01-15T08:%02d:%02d.000000+0000", index / 60 % 60, index % 60)
    if let alert {
      return
        #"{"timestamp":"\#(time)","flow_id":\#(1_000_000 + index),"event_type":"alert","src_ip":"203.0.113.9","dest_ip":"10.0.0.5","proto":"TCP","alert":{"action":"allowed","signature_id":2010935,"signature":"\#(alert.signature)","category":"Potentially Bad Traffic","severity":\#(alert.severity)}}"#
    }
    return
      #"{"timestamp":"\#(time)","flow_id":\#(1_000_000 + index),"event_type":"dns","src_ip":"10.0.0.\#(index % 30)","dest_ip":"10.0.0.1","proto":"UDP","dns":{"type":"query","rrname":"example.com"}}"#
  }

  @Test func suricataAlertsAreFindingsByTheirSeverity() throws {
    var lines = (0..<1_000).map { eveLine($0) }
    lines[300] = eveLine(300, alert: ("ET SCAN Suspicious inbound to MSSQL port 1433", 1))
    lines[600] = eveLine(600, alert: ("ET INFO Observed DNS Query to .cloud TLD", 3))
    let result = try Fixtures.analyze(lines, detectors: ["rules"])
    let byLine = Dictionary(
      uniqueKeysWithValues: result.findings.map { (result.read.records[$0.record].line, $0) })
    #expect(Set(byLine.keys) == [301, 601])
    let scan = try #require(byLine[301])
    #expect(
      scan.reason
        == #"rules: IDS alert "ET SCAN Suspicious inbound to MSSQL port 1433" (priority 1)"#)
    #expect(scan.severity >= .high)
    let info = try #require(byLine[601])
    #expect(info.severity == .medium)
  }

  @Test func wazuhAlertsAreFindingsByTheirRuleLevel() throws {
    let lines = (0..<600).map { index -> String in
      let time = String(format: "2024-01-15T08:%02d:%02d.000+0000", index / 60 % 60, index % 60)
      let (level, description) =
        index == 300
        ? (10, "sshd: brute force trying to get access to the system.")
        : index == 450
          ? (5, "sshd: Attempt to login using a non-existent user")
          : (3, "Login session opened.")
      return
        #"{"timestamp":"\#(time)","rule":{"level":\#(level),"description":"\#(description)","id":"\#(5700 + level)"},"agent":{"id":"001","name":"web01"},"full_log":"session \#(index)"}"#
    }
    let result = try Fixtures.analyze(lines, detectors: ["rules"])
    let byLine = Dictionary(
      uniqueKeysWithValues: result.findings.map { (result.read.records[$0.record].line, $0) })
    #expect(Set(byLine.keys) == [301, 451])
    #expect(byLine[301]?.reason.contains("brute force trying to get access") == true)
    #expect(byLine[301]?.severity == .high)
    #expect(byLine[451]?.severity == .medium)
    #expect(IntrusionAlerts.priority(ofRuleLevel: 15) == 1)
    #expect(IntrusionAlerts.priority(ofRuleLevel: 3) == nil)
  }

  @Test func fastLogAndSyslogAlertLinesGiveSignatureAndPriority() {
    let lines = [
      "01/15/2024-08:00:00.123456  [**] [1:2010935:2] ET SCAN Suspicious inbound to MSSQL port 1433 [**] [Classification: Potentially Bad Traffic] [Priority: 2] {TCP} 203.0.113.9:51234 -> 10.0.0.5:1433",
      "snort[1234]: [1:2013028:7] ET POLICY curl User-Agent Outbound [Classification: Attempted Information Leak] [Priority: 1]: {TCP} 10.0.0.7:40000 -> 93.184.216.34:80",
      "[1:1000001:1] ICMP test [**] [Classification: Misc activity] [Priority: 3] {ICMP} 10.0.0.8 -> 10.0.0.1",
      "request [1:2] failed [**] [Priority: 2]",
    ]
    let alerts = lines.map { line in
      let bytes = Array(line.utf8)
      return bytes.withUnsafeBufferPointer {
        IntrusionAlerts.fastLogAlert($0, ByteSpan(0, bytes.count))
      }
    }
    #expect(alerts[0]?.signature == "ET SCAN Suspicious inbound to MSSQL port 1433")
    #expect(alerts[0]?.priority == 2)
    #expect(alerts[1]?.signature == "ET POLICY curl User-Agent Outbound")
    #expect(alerts[1]?.priority == 1)
    #expect(alerts[2]?.signature == "ICMP test")
    #expect(alerts[2]?.score == 0.65)
    #expect(alerts[3] == nil)
  }

  @Test func fastLogFilesAreFindings() throws {
    let lines = (0..<200).map { index in
      String(
        format:
          "01/15/2024-08:%02d:%02d.123456  [**] [1:%d:2] ET SCAN Rule %d [**] [Classification: Potentially Bad Traffic] [Priority: %d] {TCP} 203.0.113.%d:51234 -> 10.0.0.5:1433",
        index / 60, index % 60, 2_000_000 + index % 3, index % 3, index == 100 ? 1 : 3, index % 50)
    }
    let result = try Fixtures.analyze(lines, detectors: ["rules"])
    #expect(result.read.formatName == "stamped")
    let top = try #require(result.findings.max { $0.score < $1.score })
    #expect(result.read.records[top.record].line == 101)
    #expect(top.reason.contains("(priority 1)"))
    // Each signature fires about 67 times: the priority-3 alerts drop out, the priority-1 one
    // stays a finding, lowered.
    #expect(result.findings.count == 1)
    #expect(top.reason.contains("this signature fired 67 times, so rated lower"))
  }
}
