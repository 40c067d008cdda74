/// JSON lines: one JSON object per line. Nested objects are flattened to dotted names
/// (`{"http":{"status":500}}` gives `http.status`); arrays are kept as raw JSON text.
///
/// Common names fill the record: time (`timestamp`, `time`, `@timestamp`, `ts`, `datetime`,
/// `date`, `asctime`, `t`: ISO text or epoch seconds/milliseconds), level (`level`,
/// `severity`, `levelname`, `lvl`, `loglevel`, `log.level`, or a bunyan/pino number), message
/// (`message`, `msg`, `event`, `log`, `text`), component (`logger`, `logger_name`, `service`,
/// `service.name`, `component`, `module`, `name`, `app`, `source`), `host`/`hostname`, `pid`.
public struct JSONLinesFormat: LineFormat {
  /// `json`.
  public let name = "json"

  /// JSON objects never continue on the next line.
  public var joinsContinuationLines: Bool { false }

  /// Creates the format.
  public init() {}

  /// Parses one JSON object line.
  public func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord, _ context: ParseContext
  ) -> Bool {
    var cursor = ByteCursor(bytes, record.span)
    cursor.skipSpaces()
    guard cursor.peek == 0x7B else { return false }
    var fields: [RecordField] = []
    fields.reserveCapacity(12)
    guard Self.parseObject(&cursor, bytes, prefix: "", depth: 0, into: &fields) else {
      return false
    }
    cursor.skipSpaces()
    guard cursor.atEnd else { return false }
    for field in fields {
      switch Self.role(of: field.name) {
      case .time where record.timestamp == nil:
        let span = field.value.span
        if let number = ByteClass.number(bytes, span), field.value.encoding == .raw {
          record.timestamp = number > 1e11 ? number / 1000 : number
        } else {
          record.timestamp = context.timestamps.parse(bytes, span)
        }
      case .level where record.level == nil:
        let span = field.value.span
        if let number = ByteClass.integer(bytes, span) {
          record.level = Self.numericLevel(number)
        } else {
          record.level = LogLevel.parse(UnsafeBufferPointer(rebasing: bytes[span.start..<span.end]))
        }
      case .message where record.message.span == record.span:
        record.message = field.value
      case .component where record.component == nil:
        record.component = field.value
      case .host where record.host == nil:
        record.host = field.value
      case .pid where record.pid == nil:
        record.pid = ByteClass.integer(bytes, field.value.span)
      default:
        break
      }
    }
    record.fields = fields
    return true
  }

  enum Role { case time, level, message, component, host, pid, other }

  /// The role of a field name, matched case-insensitively without allocating.
  static func role(of name: String) -> Role {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in name.utf8 {
      let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
      hash = (hash ^ UInt64(lower)) &* 0x100_0000_01b3
    }
    guard let (known, role) = roles[hash], known.count == name.utf8.count else { return .other }
    return role
  }

  private static let roles: [UInt64: (String, Role)] = {
    let table: [(Role, [String])] = [
      (
        .time,
        [
          "timestamp", "time", "@timestamp", "ts", "datetime", "date", "asctime", "t", "@t",
          "eventtime", "logtime",
        ]
      ),
      (
        .level,
        [
          "level", "severity", "levelname", "lvl", "loglevel", "log.level", "@l", "level_name",
          "severity_text",
        ]
      ),
      (.message, ["message", "msg", "event", "log", "text", "@m", "@mt", "body"]),
      (
        .component,
        [
          "logger", "logger_name", "service", "service.name", "component", "module", "name", "app",
          "source", "application", "logger.name",
        ]
      ),
      (.host, ["host", "hostname", "host.name"]),
      (.pid, ["pid", "process.pid", "process_id"]),
    ]
    var roles: [UInt64: (String, Role)] = [:]
    for (role, names) in table {
      for name in names { roles[Hashing.fnv1a(name.utf8)] = (name, role) }
    }
    return roles
  }()

  static func numericLevel(_ number: Int) -> LogLevel? {
    switch number {
    case ..<20: .trace
    case 20..<30: .debug
    case 30..<40: .info
    case 40..<50: .warning
    case 50..<60: .error
    default: .critical
    }
  }

  /// Reads an object at the cursor (which is on `{`), appending its leaves.
  static func parseObject(
    _ cursor: inout ByteCursor, _ bytes: UnsafeBufferPointer<UInt8>, prefix: String, depth: Int,
    into fields: inout [RecordField]
  ) -> Bool {
    guard depth < 32, cursor.consume(0x7B) else { return false }
    skipWhitespace(&cursor)
    if cursor.consume(0x7D) { return true }
    while true {
      skipWhitespace(&cursor)
      guard let keySpan = cursor.readQuoted() else { return false }
      let key = prefix + JSONText.decode(bytes, keySpan)
      skipWhitespace(&cursor)
      guard cursor.consume(0x3A) else { return false }
      skipWhitespace(&cursor)
      guard let first = cursor.peek else { return false }
      switch first {
      case 0x22:
        guard let value = cursor.readQuoted() else { return false }
        fields.append(RecordField(key, TextRef(value, .jsonEscaped)))
      case 0x7B:
        guard parseObject(&cursor, bytes, prefix: key + ".", depth: depth + 1, into: &fields) else {
          return false
        }
      case 0x5B:
        let start = cursor.position
        guard skipArray(&cursor, bytes) else { return false }
        fields.append(RecordField(key, TextRef(ByteSpan(start, cursor.position))))
      default:
        let start = cursor.position
        while let byte = cursor.peek, byte != 0x2C, byte != 0x7D, byte != 0x20, byte != 0x09 {
          cursor.position += 1
        }
        guard cursor.position > start else { return false }
        fields.append(RecordField(key, TextRef(ByteSpan(start, cursor.position))))
      }
      skipWhitespace(&cursor)
      if cursor.consume(0x2C) { continue }
      return cursor.consume(0x7D)
    }
  }

  private static func skipWhitespace(_ cursor: inout ByteCursor) {
    while let byte = cursor.peek, byte == 0x20 || byte == 0x09 || byte == 0x0D {
      cursor.position += 1
    }
  }

  private static func skipArray(_ cursor: inout ByteCursor, _ bytes: UnsafeBufferPointer<UInt8>)
    -> Bool
  {
    var depth = 0
    while let byte = cursor.peek {
      if byte == 0x22 {
        guard cursor.readQuoted() != nil else { return false }
        continue
      }
      if byte == 0x5B || byte == 0x7B { depth += 1 }
      if byte == 0x5D || byte == 0x7D {
        depth -= 1
        if depth == 0 {
          cursor.position += 1
          return true
        }
      }
      cursor.position += 1
    }
    return false
  }
}
