/// JSON lines: one JSON object per line. Nested objects are flattened to dotted names
/// (`{"http":{"status":500}}` gives `http.status`); arrays are kept as raw JSON text.
///
/// Common names fill the record: time (`timestamp`, `time`, `@timestamp`, `ts`, `datetime`,
/// `date`, `asctime`, `t`, MongoDB's `t.$date`, journald's `__REALTIME_TIMESTAMP`: ISO text
/// or epoch seconds, milliseconds, microseconds or nanoseconds), level (`level`, `severity`,
/// `levelname`, `lvl`, `loglevel`, `log.level`, MongoDB's `s`, a bunyan/pino number, or
/// journald's syslog `PRIORITY`), message (`message`, `msg`, `event`, `log`, `text`, Google
/// Cloud's `textPayload`), component (`logger`, `logger_name`, `service`, `service.name`,
/// `component`, `module`, `name`, `app`, `source`, `SYSLOG_IDENTIFIER`, Winlogbeat's
/// `event.provider`), `host`/`hostname`/`_HOSTNAME`/`winlog.computer_name`, `pid`/`_PID`.
/// A date alone in the first time field is made precise by a second one (``timeOfDay(_:on:_:_:)``).
/// Without a level, an HTTP status (``RequestField/status``: `status`, `status_code`,
/// `http.response.status_code`…) gives one as the access-log parser does: 5xx error, 4xx
/// warning, else info.
public struct JSONLinesFormat: LineFormat {
  /// The header the messages start with (``EmbeddedLine``), or `nil`.
  public let inner: (any LineFormat)?

  /// `json`, or `json+INNER` when the messages are lines of another format.
  public var name: String { inner.map { "json+" + $0.name } ?? "json" }

  /// JSON objects never continue on the next line.
  public var joinsContinuationLines: Bool { false }

  /// Creates the format; `inner` reads a header at the start of each message.
  public init(inner: (any LineFormat)? = nil) {
    self.inner = inner
  }

  /// Parses one JSON object line.
  public func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord, _ context: ParseContext
  ) -> Bool {
    var cursor = ByteCursor(bytes, record.span)
    cursor.skipSpaces()
    guard cursor.peek == 0x7B else { return false }
    var fields: [RecordField] = []
    fields.reserveCapacity(12)
    var slots = RoleSlots()
    guard
      Self.parseObject(
        &cursor, bytes, prefix: "", prefixHash: Self.hashSeed, depth: 0, into: &fields,
        roles: &slots)
    else {
      return false
    }
    cursor.skipSpaces()
    guard cursor.atEnd else { return false }
    Self.apply(fields, slots, bytes, context, to: &record)
    record.fields = fields
    if let inner, slots.indices.2 >= 0 { EmbeddedLine.merge(inner, bytes, into: &record, context) }
    return true
  }

  /// The index of the first field of each role, found while parsing, and of the second time
  /// field.
  struct RoleSlots {
    var indices: (Int, Int, Int, Int, Int, Int) = (-1, -1, -1, -1, -1, -1)
    var secondTime = -1
    var status = -1

    /// Records `index` for `role` unless a field already holds it.
    mutating func note(_ role: Role, _ index: Int) {
      switch role {
      case .time:
        if indices.0 < 0 {
          indices.0 = index
        } else if secondTime < 0 {
          secondTime = index
        }
      case .level: if indices.1 < 0 { indices.1 = index }
      case .message: if indices.2 < 0 { indices.2 = index }
      case .component: if indices.3 < 0 { indices.3 = index }
      case .host: if indices.4 < 0 { indices.4 = index }
      case .pid: if indices.5 < 0 { indices.5 = index }
      case .status: if status < 0 { status = index }
      case .other: break
      }
    }
  }

  /// Fills the record's timestamp, level, message, component, host and pid from the fields
  /// that `slots` points at.
  static func apply(
    _ fields: [RecordField], _ slots: RoleSlots, _ bytes: UnsafeBufferPointer<UInt8>,
    _ context: ParseContext, to record: inout LogRecord
  ) {
    let (time, level, message, component, host, pid) = slots.indices
    if time >= 0 {
      let value = fields[time].value
      if let number = ByteClass.number(bytes, value.span), value.encoding == .raw || number >= 1e8 {
        record.timestamp = epochSeconds(number)
      } else {
        record.timestamp = context.timestamps.parse(bytes, value.span)
        if slots.secondTime >= 0, !hasTimeOfDay(bytes, value.span) {
          record.timestamp = timeOfDay(
            fields[slots.secondTime].value.span, on: record.timestamp, bytes, context)
        }
      }
    }
    if level >= 0 {
      let span = fields[level].value.span
      if let number = ByteClass.integer(bytes, span) {
        record.level =
          fields[level].name.lowercased() == "priority"
          ? ((0...7).contains(number) ? LogLevel.syslog(severity: number) : nil)
          : numericLevel(number)
      } else {
        record.level = LogLevel.parse(UnsafeBufferPointer(rebasing: bytes[span.start..<span.end]))
      }
    }
    // The status judges a record whose level field holds no level word either (Kubernetes'
    // audit `"level":"Metadata"` says how much was logged).
    if record.level == nil, slots.status >= 0,
      let status = ByteClass.integer(bytes, fields[slots.status].value.span),
      (100..<600).contains(status)
    {
      // An access log's record is judged by its status, as the access-log parser's are.
      record.level = LogLevel.ofHTTPStatus(status)
    }
    if message >= 0 { record.message = withoutTrailingNewlines(fields[message].value, bytes) }
    if component >= 0 { record.component = fields[component].value }
    if host >= 0 { record.host = fields[host].value }
    if pid >= 0 { record.pid = ByteClass.integer(bytes, fields[pid].value.span) }
  }

  /// A message without the escaped line ends it was written with (Docker's `"log":"…\n"`).
  static func withoutTrailingNewlines(_ text: TextRef, _ bytes: UnsafeBufferPointer<UInt8>)
    -> TextRef
  {
    guard text.encoding == .jsonEscaped else { return text }
    var end = text.span.end
    while end - text.span.start >= 2, bytes[end - 2] == 0x5C,
      bytes[end - 1] == 0x6E || bytes[end - 1] == 0x72
    {
      // `\\n` is a backslash and an `n`: the backslash before must not itself be escaped.
      var backslashes = 0
      var index = end - 2
      while index >= text.span.start, bytes[index] == 0x5C {
        backslashes += 1
        index -= 1
      }
      guard backslashes % 2 == 1 else { break }
      end -= 2
    }
    return TextRef(ByteSpan(text.span.start, end), text.encoding)
  }

  /// Whether a time field's text holds a time of day (a `:`), not only a date.
  static func hasTimeOfDay(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Bool {
    (span.start..<span.end).contains { bytes[$0] == 0x3A }
  }

  /// The instant a record's first time field gave (`day`, a date alone, as IIS and NXLog write
  /// `"date":"2026-01-28"`) made precise by a second time field: a full timestamp
  /// (`"EventTime":"2026-01-28 03:29:56"`) replaces it, a time of day (`"time":"03:29:56"`) is
  /// added to it.
  static func timeOfDay(
    _ span: ByteSpan, on day: Double?, _ bytes: UnsafeBufferPointer<UInt8>, _ context: ParseContext
  ) -> Double? {
    guard hasTimeOfDay(bytes, span) else { return day }
    if let full = context.timestamps.parse(bytes, span) { return full }
    guard let day, let seconds = secondsOfDay(bytes, span) else { return day }
    return day + seconds
  }

  /// `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fff` as seconds since midnight.
  static func secondsOfDay(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Double? {
    var parts: [Double] = []
    var index = span.start
    while index < span.end, parts.count < 3 {
      var end = index
      while end < span.end,
        ByteClass.isDigit(bytes[end]) || (parts.count == 2 && bytes[end] == 0x2E)
      {
        end += 1
      }
      guard end > index, let part = ByteClass.number(bytes, ByteSpan(index, end)) else {
        return nil
      }
      parts.append(part)
      guard end < span.end else { break }
      guard bytes[end] == 0x3A else { return nil }
      index = end + 1
    }
    guard parts.count >= 2, parts[0] < 24, parts[1] < 60, parts.count < 3 || parts[2] < 61
    else { return nil }
    return parts[0] * 3600 + parts[1] * 60 + (parts.count == 3 ? parts[2] : 0)
  }

  enum Role { case time, level, message, component, host, pid, status, other }

  /// The FNV-1a seed for field-name hashes.
  static let hashSeed: UInt64 = 0xcbf2_9ce4_8422_2325

  /// The case-insensitive hash of a field name's bytes, continuing from `seed` (the hash of a
  /// parent's dotted prefix).
  @inline(__always)
  static func nameHash(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, seed: UInt64)
    -> UInt64
  {
    var hash = seed
    for index in span.start..<span.end {
      hash = (hash ^ UInt64(lower(bytes[index]))) &* 0x100_0000_01b3
    }
    return hash
  }

  /// The role of a field name, matched case-insensitively.
  static func role(of name: String) -> Role {
    var hash = hashSeed
    for byte in name.utf8 { hash = (hash ^ UInt64(lower(byte))) &* 0x100_0000_01b3 }
    return role(hash: hash)
  }

  /// The role of the field name whose case-insensitive hash is `hash`, by binary search.
  static func role(hash: UInt64) -> Role {
    let entries = RoleTable.entries
    var low = 0
    var high = entries.count
    while low < high {
      let middle = (low + high) / 2
      if entries[middle].hash < hash { low = middle + 1 } else { high = middle }
    }
    guard low < entries.count, entries[low].hash == hash else { return .other }
    return entries[low].role
  }

  @inline(__always)
  private static func lower(_ byte: UInt8) -> UInt8 {
    byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
  }

  /// The known field names by role, indexed by hash for ``role(hash:)``.
  private enum RoleTable {
    static let names: [(Role, [String])] = [
      (
        .time,
        [
          "timestamp", "time", "@timestamp", "ts", "datetime", "date", "asctime", "t", "@t",
          "eventtime", "logtime", "t.$date", "__realtime_timestamp", "receivetimestamp",
        ]
      ),
      (
        .level,
        [
          "level", "severity", "levelname", "lvl", "loglevel", "log.level", "@l", "level_name",
          "severity_text", "s", "priority",
        ]
      ),
      (
        .message,
        [
          "message", "msg", "event", "log", "text", "@m", "@mt", "body", "textpayload",
          "jsonpayload.message", "fields.message",
        ]
      ),
      (
        .component,
        [
          "logger", "logger_name", "service", "service.name", "component", "module", "name", "app",
          "source", "application", "logger.name", "log.logger", "syslog_identifier",
          "event.provider",
          "winlog.provider_name",
        ]
      ),
      (.host, ["host", "hostname", "host.name", "_hostname", "winlog.computer_name"]),
      (.pid, ["pid", "process.pid", "process_id", "_pid"]),
      (.status, RequestField.status.names.map { $0.lowercased() }),
    ]
    static let entries: [(hash: UInt64, role: Role)] = names.flatMap { role, names in
      names.map { (Hashing.fnv1a($0.utf8), role) }
    }.sorted { $0.hash < $1.hash }
  }

  /// Epoch seconds from a number of seconds, milliseconds, microseconds (journald's
  /// `__REALTIME_TIMESTAMP`) or nanoseconds, told apart by magnitude.
  static func epochSeconds(_ number: Double) -> Double {
    switch number {
    case 1e17...: number / 1e9
    case 1e14...: number / 1e6
    case 1e11...: number / 1e3
    default: number
    }
  }

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

  /// Reads an object at the cursor (which is on `{`), appending its leaves and noting the
  /// first leaf of each role.
  static func parseObject(
    _ cursor: inout ByteCursor, _ bytes: UnsafeBufferPointer<UInt8>, prefix: String,
    prefixHash: UInt64, depth: Int, into fields: inout [RecordField], roles: inout RoleSlots
  ) -> Bool {
    guard depth < 32, cursor.consume(0x7B) else { return false }
    skipWhitespace(&cursor)
    if cursor.consume(0x7D) { return true }
    while true {
      skipWhitespace(&cursor)
      guard let keySpan = cursor.readQuoted() else { return false }
      let key =
        prefix.isEmpty ? JSONText.decode(bytes, keySpan) : prefix + JSONText.decode(bytes, keySpan)
      let hash = nameHash(bytes, keySpan, seed: prefixHash)
      skipWhitespace(&cursor)
      guard cursor.consume(0x3A) else { return false }
      skipWhitespace(&cursor)
      guard let first = cursor.peek else { return false }
      switch first {
      case 0x22:
        guard let value = cursor.readQuoted() else { return false }
        roles.note(role(hash: hash), fields.count)
        fields.append(RecordField(key, TextRef(value, .jsonEscaped)))
      case 0x7B:
        let childHash = (hash ^ 0x2E) &* 0x100_0000_01b3
        guard
          parseObject(
            &cursor, bytes, prefix: key + ".", prefixHash: childHash, depth: depth + 1,
            into: &fields, roles: &roles)
        else {
          return false
        }
      case 0x5B:
        let start = cursor.position
        guard skipArray(&cursor, bytes) else { return false }
        fields.append(RecordField(key, TextRef(ByteSpan(start, cursor.position))))
      default:
        let start = cursor.position
        while let byte = cursor.peek, byte != 0x2C, byte != 0x7D, byte != 0x20, byte != 0x09,
          byte != 0x0A, byte != 0x0D
        {
          cursor.position += 1
        }
        guard cursor.position > start else { return false }
        roles.note(role(hash: hash), fields.count)
        fields.append(RecordField(key, TextRef(ByteSpan(start, cursor.position))))
      }
      skipWhitespace(&cursor)
      if cursor.consume(0x2C) { continue }
      return cursor.consume(0x7D)
    }
  }

  private static func skipWhitespace(_ cursor: inout ByteCursor) {
    // Line feeds too: an object of a JSON document (``JSONDocumentReader``) may span lines.
    while let byte = cursor.peek, byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A {
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
