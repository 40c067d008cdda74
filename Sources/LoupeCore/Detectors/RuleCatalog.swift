/// The built-in rule pack: phrases that mark trouble in a message (resource exhaustion,
/// crashes, data loss, errors, network and timeouts, authentication failures, changes of
/// accounts and privileges, logins as root, database and dependency failures, configuration
/// errors, restarts), attack markers in URIs (SQL injection,
/// path traversal, XSS, command injection, probes), and scanner user agents. Phrases are matched case-insensitively against template text
/// (once per template, not per line); URI and agent markers against the fields of access-log
/// records, with plain byte search.
public enum RuleCatalog {
  /// A phrase rule.
  public struct PhraseRule: Sendable {
    /// The lower-case phrase.
    public var phrase: String
    /// The score a match gives.
    public var score: Double
    /// The kind of problem.
    public var tag: String
    let bytes: [UInt8]

    init(_ phrase: String, _ score: Double, _ tag: String) {
      self.phrase = phrase
      self.score = score
      self.tag = tag
      bytes = Array(phrase.utf8)
    }
  }

  static let critical = 0.92
  static let high = 0.78
  static let medium = 0.62

  /// Phrases that mark trouble, most severe first.
  public static let phrases: [PhraseRule] = {
    var rules: [PhraseRule] = []
    func add(_ score: Double, _ tag: String, _ phrases: [String]) {
      rules += phrases.map { PhraseRule($0, score, tag) }
    }
    add(
      critical, "resource",
      [
        "out of memory", "outofmemory", "oom-kill", "oom killer", "cannot allocate memory",
        "no space left", "disk full", "read-only file system", "memory exhausted",
      ])
    add(
      critical, "crash",
      [
        "kernel panic", "panic:", "segfault", "segmentation fault", "core dumped", "fatal error",
        "stack overflow", "machine check",
      ])
    add(critical, "data", ["deadlock", "data corruption", "data loss"])
    add(
      critical, "crash",
      ["terminated by signal", "sigsegv", "crashed", "core dump", "unhandled exception"])
    add(
      high, "database",
      [
        "could not connect to database", "database connection", "connection pool",
        "too many connections", "sqlexception", "sqlstate", "lock wait timeout",
        "database is locked", "db connection", "could not connect to server",
      ])
    add(
      high, "dependency",
      [
        "upstream timed out", "upstream connect error", "no live upstreams",
        "upstream prematurely closed", "bad gateway", "service unavailable", "circuit breaker",
        "dependency failed", "dependency unavailable",
      ])
    add(
      high, "configuration",
      [
        "configuration error", "config error", "invalid configuration", "misconfigur",
        "failed to load config", "missing required", "unknown option", "invalid option",
        "invalid value for",
      ])
    add(
      medium, "restart",
      [
        "restarting", "restarted", "rebooting", "respawning", "shutting down",
        "exited with code", "terminated unexpectedly", "main process exited", "back-off restarting",
      ])
    add(high, "error", ["exception", "traceback", "failed", "failure", "fatal", "crash"])
    add(
      high, "network",
      [
        "timed out", "timeout", "connection refused", "connection reset", "connection lost",
        "unreachable", "interface down", "link down", "no route to host", "broken pipe",
        "failover",
      ])
    add(
      high, "security",
      [
        "authentication failure", "authentication failed", "invalid user", "permission denied",
        "access denied", "unauthorized", "forbidden", "brute force", "possible break-in",
        "invalid token", "sql injection", "intrusion", "failed password", "login failed",
      ])
    // Changes of who may do what, and logins as root: routine to their operator, and what an
    // intruder does first (useradd's `new user: name=…`, usermod's `add 'x' to group 'sudo'`,
    // sshd's `Accepted password for root`, sudo's `user NOT in sudoers`).
    add(
      high, "security",
      [
        "not in sudoers", "new user: name=", "to group 'sudo'", "to group 'wheel'",
        "to group 'admin'", "to group 'root'", "accepted password for root",
        "accepted publickey for root", "accepted keyboard-interactive/pam for root", "root login",
        "password changed for root",
      ])
    add(
      medium, "security",
      ["new group: name=", "password changed for", "delete user", "account locked"])
    add(
      high, "resource",
      [
        "pool exhausted", "exhausted", "too many open files", "throttl", "memory leak",
      ])
    add(
      medium, "error",
      [
        "error", "unavailable", "refused", "denied", "killed", "abort", "retrying", "degraded",
        "corrupt", "rejected", "overflow", "not responding", "unhealthy", "invalid", "lost",
      ])
    return rules
  }()

  /// Markers of attacks in request URIs (lower-case).
  public static let uriMarkers: [String] = [
    "../", "..%2f", "%2e%2e", "<script", "%3cscript", "javascript:", "union select", "union+select",
    "union%20select", "' or ", "'+or+", "'%20or%20", "%27%20or", "%27+or+", "or 1=1", "or+1=1",
    "or%201=1", "/etc/passwd",
    "/etc/shadow",
    "cmd=", ";wget", "|wget", "$(", "%00", "wp-login", "phpmyadmin", "/.env", "/.git/", "/bin/sh",
    "exec(", "base64_decode", "information_schema", "sleep(", "xp_cmdshell", ";cat ", "|cat ",
    "%3b", "onerror=",
  ]
  private static let uriMarkerSet = NeedleSet(uriMarkers)

  /// Scanner and attack-tool user agents (lower-case).
  public static let scannerAgents: [String] = [
    "sqlmap", "nikto", "nmap", "masscan", "zgrab", "dirbuster", "gobuster", "wpscan", "nessus",
    "acunetix", "openvas", "hydra", "w3af", "fuzz", "nuclei", "ffuf",
  ]
  private static let scannerAgentSet = NeedleSet(scannerAgents)

  /// The first attack marker in a URI, if any.
  public static func suspiciousURIMarker(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan)
    -> String?
  {
    uriMarkerSet.firstNeedle(in: bytes, span).map { uriMarkers[$0] }
  }

  /// The scanner named in a user agent, if any.
  public static func scannerAgent(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> String?
  {
    scannerAgentSet.firstNeedle(in: bytes, span).map { scannerAgents[$0] }
  }

  /// The phrase rules that match a template text.
  public static func matchingPhrases(_ text: String) -> [PhraseRule] {
    let lower = Array(text.lowercased().utf8)
    return lower.withUnsafeBufferPointer { bytes in
      phrases.filter { contains(bytes, ByteSpan(0, bytes.count), $0.bytes) }
    }
  }

  /// Case-insensitive (ASCII) search of a lower-case `needle` in `span` of `bytes`.
  static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, _ needle: [UInt8])
    -> Bool
  {
    guard let first = needle.first, span.count >= needle.count else { return false }
    var index = span.start
    let last = span.end - needle.count
    while index <= last {
      if lower(bytes[index]) == first {
        var offset = 1
        while offset < needle.count, lower(bytes[index + offset]) == needle[offset] { offset += 1 }
        if offset == needle.count { return true }
      }
      index += 1
    }
    return false
  }

  @inline(__always)
  private static func lower(_ byte: UInt8) -> UInt8 {
    byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
  }
}
