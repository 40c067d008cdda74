/// `syslog`: RFC 3164 system logs (`Mmm dd HH:MM:SS host app[pid]: message`) from a few
/// servers — sshd, cron, systemd, sudo, postfix, the kernel firewall — with SSH brute force,
/// the OOM killer, full disks, read-only remounts, links going down, segfaults, sudo
/// authentication failures and malformed lines injected.
public struct SyslogScenario: Scenario {
  /// `syslog`.
  public let name = "syslog"
  /// A one-line description.
  public let summary = "RFC 3164 system log from a few servers"

  /// Creates the scenario.
  public init() {}

  static let hosts = ["web01", "web02", "db01", "cache01", "batch01"]
  static let kinds: [AnomalyKind] = [
    AnomalyKind(name: "ssh_brute_force", minLength: 6, maxLength: 15),
    AnomalyKind(name: "out_of_memory"), AnomalyKind(name: "disk_exhaustion"),
    AnomalyKind(name: "read_only_fs"),
    AnomalyKind(name: "network_down", minLength: 1, maxLength: 2),
    AnomalyKind(name: "segfault"),
    AnomalyKind(name: "sudo_auth_failure", minLength: 1, maxLength: 3),
    AnomalyKind(name: "malformed_line"),
  ]

  /// Writes the log and its line labels.
  public func generate(
    _ settings: GeneratorSettings, output: inout LineWriter, labels: inout LabelWriter?
  )
    throws(LineWriter.WriteError) -> GenerationSummary
  {
    let times = TimestampWriter()
    func header(_ out: inout LineWriter, _ time: Double, host: String, app: String, pid: Int?) {
      times.write(time, .syslog, to: &out)
      out.append(byte: 0x20)
      out.append(host)
      out.append(byte: 0x20)
      out.append(app)
      if let pid {
        out.append(byte: 0x5B)
        out.append(pid)
        out.append(byte: 0x5D)
      }
      out.append(": ")
    }
    func address(_ out: inout LineWriter, _ random: inout SeededRandom, _ prefix: String) {
      out.append(prefix)
      out.append(random.nextIndex(256))
      out.append(byte: 0x2E)
      out.append(1 + random.nextIndex(254))
    }
    let runner = LineScenarioRunner(settings: settings, kinds: Self.kinds)
    return try runner.run(
      output: &output, labels: &labels,
      normal: { out, random, time in
        let host = random.pick(Self.hosts)
        switch random.pick([(0, 20.0), (1, 15), (2, 15), (3, 5), (4, 10), (5, 10), (6, 5)]) {
        case 0:
          header(&out, time, host: host, app: "sshd", pid: 1000 + random.nextIndex(30_000))
          out.append("Accepted publickey for deploy from ")
          address(&out, &random, "10.0.")
          out.append(" port ")
          out.append(30_000 + random.nextIndex(30_000))
          out.append(" ssh2")
        case 1:
          header(&out, time, host: host, app: "CRON", pid: 1000 + random.nextIndex(30_000))
          out.append(
            random.pick([
              "(root) CMD (run-parts /etc/cron.hourly)", "(www-data) CMD (php /var/www/cron.php)",
              "(root) CMD (/usr/local/bin/backup.sh)",
            ]))
        case 2:
          header(&out, time, host: host, app: "systemd", pid: 1)
          out.append(random.pick(["Started Session ", "Stopping Session "]))
          out.append(random.nextIndex(100_000))
          out.append(" of user deploy.")
        case 3:
          header(&out, time, host: host, app: "sudo", pid: nil)
          out.append("   deploy : TTY=pts/")
          out.append(random.nextIndex(4))
          out.append(" ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx")
        case 4:
          header(&out, time, host: host, app: "postfix/smtp", pid: 1000 + random.nextIndex(30_000))
          out.append(random.nextIndex(1 << 30), width: 10)
          out.append(": to=<user")
          out.append(random.nextIndex(5000))
          out.append("@example.com>, relay=mx.example.com[203.0.113.25]:25, delay=0.")
          out.append(random.nextIndex(99))
          out.append(", status=sent (250 2.0.0 OK)")
        case 5:
          header(&out, time, host: host, app: "kernel", pid: nil)
          out.append("[UFW BLOCK] IN=eth0 OUT= SRC=")
          address(&out, &random, "198.51.")
          out.append(" DST=10.0.0.")
          out.append(1 + random.nextIndex(20))
          out.append(" PROTO=TCP DPT=")
          out.append(random.pick([23, 445, 3389, 8080]))
        default:
          header(&out, time, host: host, app: "dhclient", pid: 900 + random.nextIndex(100))
          out.append("DHCPACK from 10.0.0.1 (xid=0x")
          out.append(random.nextIndex(1 << 30))
          out.append(")")
        }
      },
      anomaly: { out, random, time, kind, _, seed in
        let host = Self.hosts[seed % Self.hosts.count]
        switch kind {
        case "ssh_brute_force":
          header(&out, time, host: host, app: "sshd", pid: 1000 + random.nextIndex(30_000))
          out.append("Failed password for invalid user ")
          out.append(random.pick(["admin", "oracle", "test", "ubuntu", "postgres"]))
          out.append(" from 203.0.113.")
          out.append(seed % 254 + 1)
          out.append(" port ")
          out.append(30_000 + random.nextIndex(30_000))
          out.append(" ssh2")
        case "out_of_memory":
          header(&out, time, host: host, app: "kernel", pid: nil)
          out.append("Out of memory: Killed process ")
          out.append(1000 + random.nextIndex(30_000))
          out.append(" (java) total-vm:8388608kB, anon-rss:7340032kB, file-rss:0kB")
        case "disk_exhaustion":
          header(&out, time, host: host, app: "kernel", pid: nil)
          out.append("EXT4-fs warning (device sda1): ext4_da_write_pages: No space left on device")
        case "read_only_fs":
          header(&out, time, host: host, app: "kernel", pid: nil)
          out.append("EXT4-fs (sda1): Remounting filesystem read-only")
        case "network_down":
          header(&out, time, host: host, app: "kernel", pid: nil)
          out.append("e1000e: eth0 NIC Link is Down")
        case "segfault":
          header(&out, time, host: host, app: "kernel", pid: nil)
          out.append("nginx[")
          out.append(1000 + random.nextIndex(30_000))
          out.append(
            "]: segfault at 0 ip 00007f3a2b4c5d6e sp 00007ffd1e2f3a40 error 4 in libc-2.31.so")
        case "sudo_auth_failure":
          header(&out, time, host: host, app: "sudo", pid: nil)
          out.append(
            "pam_unix(sudo:auth): authentication failure; logname=www-data uid=33 euid=0 tty=/dev/pts/1 ruser=www-data rhost=  user=www-data"
          )
        default:
          out.append(random.pick(["\u{1B}[0m%%%% garbled ", "<<truncated>> ", "?? 0x"]))
          out.append(random.nextIndex(1 << 30))
        }
      })
  }
}
