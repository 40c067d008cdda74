/// The formats Loupe knows, by name, and the order auto-detection tries them in.
public enum FormatCatalog {
  /// The names accepted by `--format`, for help texts and error messages.
  public static var names: [String] {
    [
      "auto", "access", "apache", "nginx", "elb", "web-error", "syslog", "cef", "json", "logfmt",
      "app", "klog", "cri", "python", "auditd", "squid", "redis", "envoy", "dotnet",
      "csv",
      "tsv",
      "delimited", "w3c", "zeek", "vpc-flow", "stamped", "plain",
    ] + LoghubFormats.all.map { "loghub:\($0.name)" }
  }

  /// The line formats auto-detection scores, each with a priority that breaks ties between
  /// formats matching equally many sample lines (specific before generic).
  static var detectionCandidates: [(format: any LineFormat, priority: Int)] {
    var candidates: [(any LineFormat, Int)] = [
      (JSONLinesFormat(), 90),
      (ContainerLogFormat(), 88),
      (CEFFormat(), 86),
      (AccessLogFormat(), 85),
      (LoadBalancerLogFormat(), 85),
      (SquidLogFormat(), 84),
      (EnvoyAccessLogFormat(), 84),
      (SyslogFormat(), 80),
      (WebErrorLogFormat(), 80),
      (AuditLogFormat(), 78),
      (KlogFormat(), 75),
      (RedisLogFormat(), 74),
      (PythonLoggingFormat(), 65),
      (DotNetConsoleFormat(), 64),
      (ApplicationLogFormat(), 60),
      (LogfmtFormat(), 50),
    ]
    for entry in LoghubFormats.all {
      if let format = LoghubFormats.format(named: entry.name) { candidates.append((format, 70)) }
    }
    return candidates
  }

  /// Whether `name` is a format `--format` accepts (names and their aliases, any case).
  public static func isKnown(_ name: String) -> Bool {
    ["auto", "csv", "tsv", "delimited", "w3c", "iis", "zeek", "bro", "vpc-flow", "vpc"].contains(
      name.lowercased())
      || lineFormat(named: name) != nil
  }

  /// The line format for a `--format` name, or `nil` if the name is not a line format.
  /// - Parameter name: e.g. `syslog`, `loghub:HDFS`.
  /// - Returns: the format.
  public static func lineFormat(named name: String) -> (any LineFormat)? {
    let lower = name.lowercased()
    if lower.hasPrefix("loghub:") { return LoghubFormats.format(named: String(name.dropFirst(7))) }
    switch lower {
    case "access": return AccessLogFormat()
    case "apache", "nginx": return WebServerFormat(name: lower)
    case "web-error", "error-log": return WebErrorLogFormat()
    case "syslog": return SyslogFormat()
    case "cef": return CEFFormat()
    case "elb", "alb": return LoadBalancerLogFormat()
    case "json", "jsonl", "ndjson": return JSONLinesFormat()
    case "logfmt": return LogfmtFormat()
    case "app", "application": return ApplicationLogFormat()
    case "klog", "glog": return KlogFormat()
    case "python": return PythonLoggingFormat()
    case "dotnet", ".net", "aspnet": return DotNetConsoleFormat()
    case "auditd", "audit": return AuditLogFormat()
    case "squid": return SquidLogFormat()
    case "envoy", "istio": return EnvoyAccessLogFormat()
    case "redis", "valkey": return RedisLogFormat()
    case "cri", "container", "kubernetes", "k8s": return ContainerLogFormat()
    case "stamped": return StampedFormat()
    case "plain", "text": return PlainFormat()
    default: return nil
    }
  }
}
