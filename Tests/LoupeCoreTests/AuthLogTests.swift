import Testing

@testable import LoupeCore

/// A Linux `auth.log`: what an intruder does first — an account made and given sudo, a root
/// login, a refused sudo, a setuid chmod — stands out from logins, cron sessions and sudo use.
@Suite struct AuthLogTests {
  func line(_ index: Int, _ message: String) -> String {
    Fixtures.syslog(8 * 3600 + index, host: "web01", message)
  }

  @Test func accountChangesAndRootLoginsAreSecurityFindings() throws {
    let users = ["alice", "bob", "carol", "deploy"]
    var lines = (0..<3_000).map { index -> String in
      let user = users[index % 4]
      switch index % 5 {
      case 0:
        return line(
          index,
          "sshd[\(2_000 + index)]: Accepted publickey for \(user) from 10.0.0.\(index % 40) port \(40_000 + index) ssh2"
        )
      case 1:
        return line(
          index,
          "CRON[\(5_000 + index)]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)"
        )
      case 2:
        return line(
          index,
          "sudo:  \(user) : TTY=pts/0 ; PWD=/home/\(user) ; USER=root ; COMMAND=/usr/bin/systemctl status nginx"
        )
      case 3:
        return line(
          index,
          "passwd[\(7_000 + index)]: pam_unix(passwd:chauthtok): password changed for \(user)")
      default:
        return line(
          index, "CRON[\(5_000 + index)]: pam_unix(cron:session): session closed for user root")
      }
    }
    let injected = [
      1_000:
        "useradd[7001]: new user: name=backdoor, UID=1337, GID=1337, home=/home/backdoor, shell=/bin/bash",
      1_001: "usermod[7002]: add 'backdoor' to group 'sudo'",
      1_500: "sshd[7100]: Accepted password for root from 203.0.113.5 port 51234 ssh2",
      2_000:
        "sudo:   mallory : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/mallory ; USER=root ; COMMAND=/bin/bash",
      2_200: "sudo:  deploy : TTY=pts/0 ; PWD=/tmp ; USER=root ; COMMAND=/bin/chmod 4755 /tmp/.x",
    ]
    for (index, message) in injected { lines[index] = line(index, message) }
    let result = try Fixtures.analyze(lines, detectors: ["rules", "secrets"])
    let flagged = Dictionary(
      uniqueKeysWithValues: result.findings.map { (result.read.records[$0.record].line - 1, $0) })
    #expect(Set(flagged.keys) == Set(injected.keys))
    for finding in flagged.values {
      #expect(finding.severity >= .high)
      #expect(finding.tags.contains("security"))
    }
  }
}
