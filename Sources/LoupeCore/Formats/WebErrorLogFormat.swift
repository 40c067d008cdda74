/// Apache and Nginx error logs.
///
/// - Apache 2.2: `[Sun Dec 04 04:47:44 2005] [error] message`
/// - Apache 2.4: `[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 35708:tid 4328] [client
///   1.2.3.4:5] AH00124: message`
/// - Nginx: `2024/01/15 08:00:00 [error] 1234#5678: *9 message, client: 1.2.3.4, server: x,
///   request: "GET / HTTP/1.1", host: "x"`
///
/// Fields: `module` (Apache 2.4), `tid`, `client`, `connection` (Nginx `*N`), and for Nginx the
/// trailing `client`, `server`, `request`, `host` values.
public struct WebErrorLogFormat: LineFormat {
  /// `web-error`.
  public let name = "web-error"

  /// Creates the format.
  public init() {}

  /// Parses one Apache or Nginx error-log line.
  public func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord, _ context: ParseContext
  ) -> Bool {
    var cursor = ByteCursor(bytes, record.span)
    if cursor.peek == 0x5B {
      return parseApache(&cursor, bytes, &record, context)
    }
    return parseNginx(&cursor, bytes, &record, context)
  }

  private func parseApache(
    _ cursor: inout ByteCursor, _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord,
    _ context: ParseContext
  ) -> Bool {
    cursor.position += 1
    guard let timeSpan = cursor.read(until: 0x5D),
      let timestamp = context.timestamps.parse(bytes, timeSpan)
    else { return false }
    cursor.skipSpaces()
    guard cursor.consume(0x5B), let levelSpan = cursor.read(until: 0x5D) else { return false }
    var levelWord = levelSpan
    var fields: [RecordField] = []
    if let colon = (levelSpan.start..<levelSpan.end).last(where: { bytes[$0] == 0x3A }) {
      fields.append(RecordField("module", TextRef(ByteSpan(levelSpan.start, colon))))
      levelWord = ByteSpan(colon + 1, levelSpan.end)
    }
    guard let level = Self.apacheLevel(bytes, levelWord) else { return false }
    cursor.skipSpaces()
    var pid: Int?
    // Optional `[pid N:tid M]` and `[client ADDRESS]` blocks.
    while cursor.peek == 0x5B {
      var probe = cursor
      probe.position += 1
      guard let block = probe.read(until: 0x5D) else { break }
      var inner = ByteCursor(bytes, block)
      if inner.consume("pid ") {
        pid = inner.readInteger()?.value
        if inner.consume(":tid ") { fields.append(RecordField("tid", TextRef(inner.rest))) }
      } else if inner.consume("client ") {
        fields.append(RecordField("client", TextRef(inner.rest)))
      } else {
        break
      }
      cursor = probe
      cursor.skipSpaces()
    }
    record.timestamp = timestamp
    record.level = level
    record.pid = pid
    record.fields = fields
    record.message = TextRef(cursor.rest)
    return true
  }

  private func parseNginx(
    _ cursor: inout ByteCursor, _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord,
    _ context: ParseContext
  ) -> Bool {
    let date = cursor.readToken()
    guard date.count == 10, bytes[date.start + 4] == 0x2F else { return false }
    cursor.skipSpaces()
    let clock = cursor.readToken()
    guard let timestamp = context.timestamps.parse(bytes, ByteSpan(date.start, clock.end)) else {
      return false
    }
    cursor.skipSpaces()
    guard cursor.consume(0x5B), let levelSpan = cursor.read(until: 0x5D),
      let level = Self.apacheLevel(bytes, levelSpan)
    else { return false }
    cursor.skipSpaces()
    var fields: [RecordField] = []
    var pid: Int?
    var probe = cursor
    if let pidValue = probe.readInteger(), probe.consume(0x23) {
      pid = pidValue.value
      let tid = probe.read(until: 0x3A) ?? probe.readToken()
      fields.append(RecordField("tid", TextRef(tid)))
      probe.skipSpaces()
      cursor = probe
    }
    if cursor.peek == 0x2A {
      var connection = cursor
      connection.position += 1
      let number = connection.readToken()
      if ByteClass.integer(bytes, number) != nil {
        fields.append(RecordField("connection", TextRef(number)))
        connection.skipSpaces()
        cursor = connection
      }
    }
    // Trailing `, client: X, server: Y, request: "…", host: "…"` pairs.
    let message = cursor.rest
    var messageEnd = message.end
    for (key, pattern) in Self.trailingKeys {
      if let start = ByteClass.firstIndex(of: pattern, in: bytes, message) {
        messageEnd = min(messageEnd, start)
        var valueCursor = ByteCursor(bytes, ByteSpan(start + pattern.count, message.end))
        if let quoted = valueCursor.readQuoted() {
          fields.append(RecordField(key, TextRef(quoted, .jsonEscaped)))
        } else {
          let value = valueCursor.read(until: 0x2C) ?? valueCursor.rest
          fields.append(RecordField(key, TextRef(value)))
        }
      }
    }
    record.timestamp = timestamp
    record.level = level
    record.pid = pid
    record.fields = fields
    record.message = TextRef(ByteSpan(message.start, messageEnd))
    return true
  }

  private static func apacheLevel(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan)
    -> LogLevel?
  {
    var end = span.end
    // Apache 2.4 trace levels: `trace1` … `trace8`.
    while end > span.start, ByteClass.isDigit(bytes[end - 1]) { end -= 1 }
    return LogLevel.parse(UnsafeBufferPointer(rebasing: bytes[span.start..<end]))
  }

  private static let trailingKeys: [(String, [UInt8])] = [
    "client", "server", "request", "upstream", "host", "referrer",
  ].map { ($0, Array(", \($0): ".utf8)) }
}
