/// Commands run with root's rights (sudo's `COMMAND=…`) that an intruder runs and an operator
/// seldom does: a setuid bit, a shell bound to the network, a download piped into a shell, the
/// password and sudoers files, audit and history wiped. Sudo's commands vary, so its template
/// holds `COMMAND=<*>`: the command is judged record by record, on records of a template that
/// runs commands (``runsCommands(_:)``), with one pass of byte search.
enum PrivilegedCommands {
  /// The markers, lower-case.
  static let markers: [String] = [
    "chmod 4755", "chmod u+s", "chmod +s", "chmod 6755", "/dev/tcp/", "nc -e", "ncat -e",
    "| sh", "|sh", "| bash", "|bash", "base64 -d", "/etc/shadow", "/etc/sudoers", "visudo",
    "useradd", "usermod", "passwd root", "iptables -f", "setenforce 0", "history -c",
    "rm -rf /var/log", "auditctl -d", "auditctl -e 0", "systemctl stop auditd",
  ]
  private static let markerSet = NeedleSet(markers)
  private static let command = Array("COMMAND=".utf8)

  /// Whether a template's records run commands with privileges: sudo's `COMMAND=`.
  static func runsCommands(_ template: String) -> Bool {
    template.contains("COMMAND=")
  }

  /// The first marker in the command of `span` (after its `COMMAND=`), if any.
  static func marker(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> String? {
    guard let at = ByteClass.firstIndex(of: command, in: bytes, span) else { return nil }
    return markerSet.firstNeedle(in: bytes, ByteSpan(at + command.count, span.end)).map {
      markers[$0]
    }
  }
}
