/// A log level, normalised from the many spellings that logs use (`WARN`, `warning`, `W`,
/// syslog severities, …), ordered from least to most severe.
public enum LogLevel: Int, Sendable, Hashable, Comparable, Codable, CaseIterable {
  case trace = 0
  case debug, info, notice, warning, error, critical, alert, emergency

  /// The lower-case name written in outputs.
  public var name: String {
    switch self {
    case .trace: "trace"
    case .debug: "debug"
    case .info: "info"
    case .notice: "notice"
    case .warning: "warning"
    case .error: "error"
    case .critical: "critical"
    case .alert: "alert"
    case .emergency: "emergency"
    }
  }

  /// Orders levels by severity.
  public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }

  /// The level for a syslog severity number (0 emergency … 7 debug).
  /// - Parameter severity: the low three bits of a syslog priority.
  /// - Returns: the matching level.
  public static func syslog(severity: Int) -> LogLevel {
    switch severity {
    case 0: .emergency
    case 1: .alert
    case 2: .critical
    case 3: .error
    case 4: .warning
    case 5: .notice
    case 6: .info
    default: .debug
    }
  }

  /// Recognises a level word, case-insensitively, from its bytes.
  ///
  /// Accepts full names and common abbreviations: `TRACE`, `DEBUG`/`DBG`/`FINE`,
  /// `INFO`/`INF`/`Information` (Windows),
  /// `NOTICE`, `WARN`/`WARNING`/`WRN`, `ERROR`/`ERR`/`SEVERE`, `CRIT`/`CRITICAL`/`FATAL`,
  /// `ALERT`, `EMERG`/`EMERGENCY`/`PANIC`, and single letters `V D I W E F` (Android).
  /// - Parameter bytes: the candidate word, without surrounding brackets.
  /// - Returns: the level, or `nil` when the word is not a level.
  public static func parse<C: Collection<UInt8>>(_ bytes: C) -> LogLevel? {
    let count = bytes.count
    if count > 8 { return longWord(bytes) }
    guard count > 0 else { return nil }
    var word: UInt64 = 0
    for byte in bytes {
      var lower = byte
      if lower >= 0x41 && lower <= 0x5A { lower += 0x20 }
      guard lower >= 0x61 && lower <= 0x7A else { return nil }
      word = word << 8 | UInt64(lower)
    }
    return levelWords[word]
  }

  /// The level an HTTP status gives a request's record, as access logs are judged: 5xx error,
  /// 4xx warning, anything else info.
  public static func ofHTTPStatus(_ status: Int) -> LogLevel {
    status >= 500 ? .error : status >= 400 ? .warning : .info
  }

  private static func pack(_ text: String) -> UInt64 {
    text.utf8.reduce(0) { $0 << 8 | UInt64($1) }
  }

  /// Level words longer than eight letters (which do not fit one packed word).
  private static let longWords: [([UInt8], LogLevel)] = [
    ("emergency", LogLevel.emergency), ("statement", .info), ("information", .info),
    ("informational", .info),
  ].map { (Array($0.0.utf8), $0.1) }

  /// A level word longer than eight letters, compared case-insensitively without making a
  /// string (level words are looked for on every line).
  private static func longWord<C: Collection<UInt8>>(_ bytes: C) -> LogLevel? {
    for (word, level) in longWords where word.count == bytes.count {
      if zip(word, bytes).allSatisfy({ $0 == ($1 | 0x20) }) { return level }
    }
    return nil
  }

  private static let levelWords: [UInt64: LogLevel] = {
    let table: [(String, LogLevel)] = [
      ("trace", .trace), ("trc", .trace), ("finest", .trace), ("finer", .trace), ("v", .trace),
      ("verbose", .trace), ("debug", .debug), ("dbg", .debug), ("fine", .debug), ("d", .debug),
      ("info", .info), ("inf", .info), ("i", .info), ("config", .info),
      // PostgreSQL's LOG and the lines that follow an error; MySQL's Note.
      ("log", .info), ("detail", .info), ("hint", .info),
      ("notice", .notice), ("note", .notice), ("warn", .warning), ("warning", .warning),
      ("wrn", .warning),
      ("w", .warning), ("error", .error), ("err", .error), ("e", .error), ("severe", .error),
      ("crit", .critical), ("critical", .critical), ("fatal", .critical), ("f", .critical),
      ("alert", .alert), ("emerg", .emergency), ("panic", .emergency),
    ]
    var words: [UInt64: LogLevel] = [:]
    for (text, level) in table { words[pack(text)] = level }
    return words
  }()
}
