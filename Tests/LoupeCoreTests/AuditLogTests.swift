import Testing

@testable import LoupeCore

/// The Linux audit log: auditd's records, their time, type, fields and failures.
@Suite struct AuditLogTests {
  let failedAuth =
    #"type=USER_AUTH msg=audit(1705305601.456:1002): pid=1235 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication grantors=? acct="root" exe="/usr/sbin/sshd" hostname=203.0.113.9 addr=203.0.113.9 terminal=ssh res=failed'"#
  let syscall =
    #"node=web01 type=SYSCALL msg=audit(1705305602.789:1003): arch=c000003e syscall=59 success=yes exit=0 items=2 ppid=1 pid=1236 auid=1000 uid=0 comm="bash" exe="/usr/bin/bash" key="exec""#

  @Test func recordsGiveTimeTypeSerialAndFields() throws {
    let read = try Fixtures.read([failedAuth, syscall].joined(separator: "\n") + "\n")
    #expect(read.formatName == "auditd")
    let auth = read.records[0]
    #expect(auth.timestamp == 1_705_305_601.456)
    #expect(read.text(auth.component) == "USER_AUTH")
    #expect(read.field(0, "serial") == "1002")
    #expect(read.field(0, "acct") == "root")
    #expect(read.field(0, "op") == "PAM:authentication")
    #expect(read.field(0, "res") == "failed")
    #expect(auth.level == .warning)
    #expect(read.text(auth.message)?.hasPrefix("type=USER_AUTH msg=audit(") == true)
    let call = read.records[1]
    #expect(read.text(call.host) == "web01")
    #expect(read.field(1, "exe") == "/usr/bin/bash")
    #expect(call.level == .info)
    #expect(read.text(call.message)?.hasPrefix("type=SYSCALL") == true)
  }

  @Test func deniedAndInterpretedRecords() throws {
    let lines = [
      #"type=AVC msg=audit(1705305603.000:1004): avc:  denied  { write } for  pid=5123 comm="httpd" name="shadow" tclass=file permissive=0"#,
      #"type=USER_LOGIN msg=audit(01/15/2024 08:00:04.000:1005) : pid=1240 uid=root auid=unset msg='op=login acct=root exe=/usr/sbin/sshd addr=203.0.113.9 terminal=sshd res=failed'"#,
      #"type=USER_START msg=audit(1705305605.000:1006): pid=1 uid=0 msg='op=PAM:session_open acct="alice" exe="/usr/sbin/sshd" res=success'\#u{1D}UID="root" AUID="alice""#,
    ]
    let read = try Fixtures.read(lines.joined(separator: "\n") + "\n", format: "auditd")
    #expect(read.records.map(\.level) == [.warning, .warning, .info])
    #expect(read.records[1].timestamp == epoch(2024, 1, 15, 8, 0, 4))
    #expect(read.field(1, "acct") == "root")
    #expect(read.field(2, "AUID") == "alice")
    #expect(read.field(2, "res") == "success")
  }

  @Test func logfmtWithATypeIsNotAnAuditLog() throws {
    let lines = (0..<20).map { #"type=order msg="stored order \#($0)" level=info"# }
    let read = try Fixtures.read(lines.joined(separator: "\n") + "\n")
    #expect(read.formatName == "logfmt")
  }

  @Test func failedPasswordsFromOneAddressAreBruteForce() throws {
    var lines: [String] = []
    for index in 0..<600 {
      let time = String(format: "%.3f", 1_705_305_600.0 + Double(index) * 2)
      if (300..<320).contains(index) {
        lines.append(
          #"type=USER_AUTH msg=audit(\#(time):\#(2000 + index)): pid=\#(4000 + index) uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication grantors=? acct="root" exe="/usr/sbin/sshd" hostname=203.0.113.9 addr=203.0.113.9 terminal=ssh res=failed'"#
        )
      } else {
        lines.append(
          #"type=USER_LOGIN msg=audit(\#(time):\#(2000 + index)): pid=\#(4000 + index) uid=0 auid=1000 ses=\#(index) msg='op=login id=1000 exe="/usr/sbin/sshd" hostname=10.0.0.\#(index % 40) addr=10.0.0.\#(index % 40) terminal=/dev/pts/0 res=success'"#
        )
      }
    }
    let result = try Fixtures.analyze(lines, detectors: ["bruteforce"])
    #expect(result.findings.count == 1)
    let finding = try #require(result.findings.first)
    #expect(result.read.records[finding.record].line == 301)
    #expect(finding.reason.contains("20 authentication failures from 203.0.113.9"))
  }
}
