import Testing

@testable import LoupeCore

/// Common Event Format events, alone or in syslog lines.
@Suite struct CEFTests {
  @Test func eventsInSyslogLines() throws {
    let read = try Fixtures.read(
      """
      Jan 15 08:00:00 fw1 CEF:0|Palo Alto Networks|PAN-OS|10.1|end|TRAFFIC|1|src=10.0.0.5 dst=93.184.216.34 spt=40000 dpt=443 act=allow
      Jan 15 08:00:01 fw1 CEF:0|Palo Alto Networks|PAN-OS|10.1|threat|Vulnerability Scan|8|src=10.0.0.6 dst=93.184.216.34 act=deny msg=SQL injection attempt on /login
      Jan 15 08:00:02 fw1 CEF:0|Palo Alto Networks|PAN-OS|10.1|end|TRAFFIC|Very-High|src=10.0.0.7 dst=93.184.216.34 act=allow

      """)
    #expect(read.formatName == "cef")
    #expect(read.records.map(\.level) == [.info, .error, .critical])
    #expect(read.text(read.records[0].host) == "fw1")
    #expect(read.text(read.records[0].component) == "PAN-OS")
    #expect(read.field(1, "cef.name") == "Vulnerability Scan")
    #expect(read.field(1, "act") == "deny")
    #expect(read.field(1, "msg") == "SQL injection attempt on /login")
    #expect(read.field(0, "dpt") == "443")
    #expect(
      read.text(read.records[1].message)
        == "cef.vendor=Palo Alto Networks cef.product=PAN-OS cef.signature=threat cef.name=Vulnerability Scan src=10.0.0.6 dst=93.184.216.34 act=deny msg=SQL injection attempt on /login"
    )
    // The reports show the line as written.
    #expect(
      read.buffer.string(FieldMessage.recordText(read.records[1], read.buffer)).hasPrefix(
        "Jan 15 08:00:01 fw1 CEF:0|"))
  }

  @Test func eventsAloneOnTheirLine() throws {
    let read = try Fixtures.read(
      """
      CEF:0|Security|threatmanager|1.0|100|worm successfully stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232
      CEF:0|Security|threatmanager|1.0|101|port scan|Low|src=10.0.0.9

      """)
    #expect(read.formatName == "cef")
    #expect(read.records.map(\.level) == [.critical, .info])
    #expect(read.field(0, "spt") == "1232")
  }

  @Test func syslogWithoutCEFIsUnchanged() throws {
    let read = try Fixtures.read("Jan 15 08:00:00 host sshd[12]: Accepted publickey for bob\n")
    #expect(read.formatName == "syslog")
    #expect(read.text(read.records[0].message) == "Accepted publickey for bob")
  }
}
