/// The "timestamp LEVEL [component] message" family that most application logs use.
///
/// Recognised headers include `2024-01-15 08:00:00 INFO [PaymentService] message`, log4j and
/// logback defaults (`2024-01-15 08:00:00,123 INFO [main] com.example.Foo: message`, `… [main]
/// INFO com.example.Foo - message`), Python logging (`2024-01-15 08:00:00,123 - name - INFO -
/// message`), `[2024-01-15 08:00:00] [ERROR] message`, Hadoop/Spark/HDFS/Android styles
/// (a pid and thread id between timestamp and level, single-letter levels), Spring Boot's
/// default (`2024-01-15T08:00:00.123Z  INFO 1 --- [main] o.s.b.Application : Started`: the pid
/// after the level, `---`, the padded logger before ` : `), PHP's error log
/// (`[15-Jan-2024 08:00:00 UTC] PHP Warning:  …`: the error kind is the level), Celery's
/// (`[2024-01-15 08:00:02,123: ERROR/ForkPoolWorker-1] Task … raised …`: the level and the
/// process inside the time's bracket).
///
/// The header is a timestamp followed by up to six items: a level word (bare or bracketed),
/// bracketed names (thread or component), a pid, a logger name ending in `:` or followed by
/// ` - `, and `-`/`|` separators; a zone name right after the time (`UTC`, `+0100`) and a
/// bracketed number (a pid: PostgreSQL's `[1234]`) are part of it. The component is the logger
/// when there is one, else the first bracketed name (the other is kept as the `thread` field);
/// a bracketed event code (MySQL's `[MY-010000]`) is the `code` field, not a name.
///
/// Auto-detection counts only lines with a level; once the format is chosen, a line with a
/// leading timestamp but no level is read too, its message being everything after the time
/// (Go's `log` writes some lines with a level word and most without).
public struct ApplicationLogFormat: LineFormat {
  /// `app`.
  public let name = "app"

  /// Creates the format.
  public init() {}

  /// Parses one application-log line.
  public func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord, _ context: ParseContext
  ) -> Bool {
    var cursor = ByteCursor(bytes, record.span)
    guard let first = cursor.peek else { return false }
    var timestamp: Double?
    // Celery's `[2024-01-15 08:00:02,123: INFO/MainProcess]`: the level and the process inside.
    var bracketedLevel: (level: LogLevel, process: ByteSpan)?
    if first == 0x5B {
      var probe = cursor
      probe.position += 1
      guard let inside = probe.read(until: 0x5D), let time = context.timestamps.parse(bytes, inside)
      else { return false }
      timestamp = time
      cursor = probe
      // Only Celery's bracket holds a `/` after the time: most lines skip a second parse.
      if (inside.start..<inside.end).contains(where: { bytes[$0] == 0x2F }) {
        bracketedLevel = Self.levelAfterTime(bytes, inside, context)
      }
    } else if ByteClass.isDigit(first) || ByteClass.isLetter(first) {
      guard let (time, end) = Self.leadingTimestamp(bytes, record.span, context) else {
        return false
      }
      timestamp = time
      cursor.position = end
    } else {
      return false
    }
    let timestampEnd = cursor.position

    var level = bracketedLevel?.level
    var bracketed = bracketedLevel.map { [$0.process] } ?? []
    var logger: ByteSpan?
    var pid: Int?
    var tid: ByteSpan?
    var items = 0
    var messageStart = cursor.position
    scan: while items < 7 {
      cursor.skipSpaces()
      messageStart = cursor.position
      guard let byte = cursor.peek else { break }
      items += 1
      if byte == 0x2D || byte == 0x7C, cursor.peek(at: 1) == 0x20 {
        cursor.position += 1
        continue
      }
      if Self.isSpringSeparator(cursor) {
        cursor.position += 3
        continue
      }
      if items == 1 {
        var probe = cursor
        let word = probe.readToken()
        if TimestampParser.isZoneName(bytes, word) {
          cursor = probe
          continue
        }
      }
      if byte == 0x5B {
        var probe = cursor
        guard let inside = Self.readBracketed(&probe, bytes) else { break }
        let trimmed = Self.trim(bytes, inside)
        if pid == nil, level == nil, let number = ByteClass.integer(bytes, trimmed) {
          pid = number
        } else if level == nil,
          let word = LogLevel.parse(
            UnsafeBufferPointer(rebasing: bytes[trimmed.start..<trimmed.end]))
        {
          level = word
        } else {
          bracketed.append(inside)
        }
        cursor = probe
        continue
      }
      var probe = cursor
      if level == nil, let (phpLevel, end) = Self.phpLevel(bytes, cursor) {
        // PHP's error log: `[15-Jan-2024 08:00:00 UTC] PHP Fatal error:  Uncaught …`.
        level = phpLevel
        cursor.position = end
        messageStart = end
        break scan
      }
      let token = probe.readToken()
      var word = token
      let endsWithColon = bytes[token.end - 1] == 0x3A
      if endsWithColon { word.end -= 1 }
      if level == nil,
        let found = LogLevel.parse(UnsafeBufferPointer(rebasing: bytes[word.start..<word.end]))
      {
        level = found
        cursor = probe
        if endsWithColon {
          // `ERROR: disk full`: the message follows the colon.
          messageStart = cursor.position
          break scan
        }
        continue
      }
      var after = probe
      after.skipSpaces()
      // Spring Boot: `INFO 12345 --- [main] …`, the pid after the level.
      if level == nil || (pid == nil && Self.isSpringSeparator(after)),
        let number = ByteClass.integer(bytes, word), !endsWithColon
      {
        if pid == nil { pid = number } else { tid = word }
        cursor = probe
        continue
      }
      let dashFollows = after.peek == 0x2D && after.peek(at: 1) == 0x20
      // Spring Boot pads the logger and puts ` : ` after it.
      let colonFollows =
        after.peek == 0x3A && (after.peek(at: 1) == 0x20 || after.position + 1 == after.end)
      if logger == nil, !word.isEmpty, endsWithColon || dashFollows || colonFollows,
        Self.isLoggerName(bytes, word, afterBracket: !bracketed.isEmpty)
      {
        logger = word
        cursor = probe
        if endsWithColon || level != nil {
          cursor.skipSpaces()
          if cursor.peek == 0x2D || cursor.peek == 0x3A, cursor.peek(at: 1) == 0x20 {
            cursor.position += 2
          }
          messageStart = cursor.position
          if level != nil { break scan }
        }
        continue
      }
      break
    }
    if level == nil, bracketed.count > 1,
      Self.trim(bytes, bracketed[0]).count == 6,
      RuleCatalog.contains(bytes, Self.trim(bytes, bracketed[0]), Array("system".utf8)),
      Self.isEventCode(bytes, Self.trim(bytes, bracketed[1]))
    {
      // MySQL's `[System] [MY-010116]`: messages logged whatever the verbosity (start, ready,
      // shutdown), informational.
      level = .info
      bracketed.removeFirst()
    }
    if level == nil {
      // Without a level, only the time is header.
      (bracketed, logger, pid, tid) = ([], nil, nil, nil)
      messageStart = timestampEnd
    }
    cursor.position = messageStart
    cursor.skipSpaces()

    var fields: [RecordField] = []
    // An event code among the bracketed names (MySQL's `[MY-010000]`) is no component.
    if let code = bracketed.firstIndex(where: { Self.isEventCode(bytes, Self.trim(bytes, $0)) }),
      bracketed.count > 1
    {
      fields.append(RecordField("code", TextRef(bracketed.remove(at: code))))
    }
    if let logger {
      record.component = TextRef(logger)
      if let thread = bracketed.first { fields.append(RecordField("thread", TextRef(thread))) }
    } else if let component = bracketed.first {
      record.component = TextRef(component)
    }
    if bracketed.count > 1 {
      fields.append(RecordField("context", TextRef(bracketed[1])))
    }
    if let tid { fields.append(RecordField("tid", TextRef(tid))) }
    record.timestamp = timestamp
    record.level = level
    record.pid = pid
    record.fields = fields
    record.message = TextRef(cursor.rest)
    return true
  }

  /// PHP's error kinds as its error log writes them after `PHP `, and their levels: a fatal
  /// or parse error stops the script.
  static let phpLevels: [(name: StaticString, level: LogLevel)] = [
    ("Fatal error:", .critical), ("Parse error:", .critical), ("Core error:", .critical),
    ("Compile error:", .critical), ("Recoverable fatal error:", .error),
    ("Catchable fatal error:", .error), ("Warning:", .warning), ("Notice:", .notice),
    ("Deprecated:", .notice), ("Strict Standards:", .notice),
  ]

  /// The level of a PHP error log entry at the cursor (`PHP Warning:  …`), and where its
  /// message starts.
  static func phpLevel(_ bytes: UnsafeBufferPointer<UInt8>, _ cursor: ByteCursor) -> (
    LogLevel, Int
  )? {
    var probe = cursor
    guard probe.consume("PHP ") else { return nil }
    guard let found = phpLevels.first(where: { probe.consume($0.name) }) else { return nil }
    probe.skipSpaces()
    return (found.level, probe.position)
  }

  /// The level and process after the time inside a bracket, as Celery writes them
  /// (`2024-01-15 08:00:02,123: WARNING/ForkPoolWorker-1`).
  static func levelAfterTime(
    _ bytes: UnsafeBufferPointer<UInt8>, _ inside: ByteSpan, _ context: ParseContext
  ) -> (LogLevel, ByteSpan)? {
    guard let (_, end) = context.timestamps.prefix(bytes, inside) else { return nil }
    var cursor = ByteCursor(bytes, ByteSpan(end, inside.end))
    guard cursor.consume(0x3A) else { return nil }
    cursor.skipSpaces()
    let rest = cursor.rest
    guard let slash = (rest.start..<rest.end).first(where: { bytes[$0] == 0x2F }),
      slash + 1 < rest.end,
      let level = LogLevel.parse(UnsafeBufferPointer(rebasing: bytes[rest.start..<slash]))
    else { return nil }
    return (level, ByteSpan(slash + 1, rest.end))
  }

  /// Whether the cursor is on Spring Boot's `--- ` between the pid and the thread.
  static func isSpringSeparator(_ cursor: ByteCursor) -> Bool {
    cursor.peek == 0x2D && cursor.peek(at: 1) == 0x2D && cursor.peek(at: 2) == 0x2D
      && cursor.peek(at: 3) == 0x20
  }

  /// Whether `span` is an event code: one to six capital letters, an optional `-`, then at
  /// least three digits (`MY-010000`, `ORA-00600`, `E1234`).
  static func isEventCode(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Bool {
    var index = span.start
    while index < span.end, bytes[index] &- 0x41 < 26 { index += 1 }
    guard (1...6).contains(index - span.start) else { return false }
    if index < span.end, bytes[index] == 0x2D { index += 1 }
    let digits = span.end - index
    return digits >= 3 && (index..<span.end).allSatisfy { ByteClass.isDigit(bytes[$0]) }
  }

  /// During auto-detection, only a line with a level counts: a timestamp alone starts too many
  /// formats' lines.
  public func isPlausible(_ bytes: UnsafeBufferPointer<UInt8>, _ record: LogRecord) -> Bool {
    record.level != nil
  }

  /// Whether `word` can be a logger name: not an exception class, and after a bracketed
  /// component only a dotted or nested name (`com.example.Foo`, `Outer$Inner`), so that a
  /// message starting `Failed: …` keeps its first word.
  static func isLoggerName(
    _ bytes: UnsafeBufferPointer<UInt8>, _ word: ByteSpan, afterBracket: Bool
  )
    -> Bool
  {
    let name = UnsafeBufferPointer(rebasing: bytes[word.start..<word.end])
    if name.endsWith("Exception") || name.endsWith("Error") || name.endsWith("Throwable") {
      return false
    }
    return !afterBracket || name.contains(0x2E) || name.contains(0x24)
  }

  /// Finds the longest run of one to three leading tokens that parses as a timestamp.
  static func leadingTimestamp(
    _ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, _ context: ParseContext
  ) -> (Double, Int)? {
    var cursor = ByteCursor(bytes, span)
    var ends: [Int] = []
    for _ in 0..<3 {
      let token = cursor.readToken()
      if token.isEmpty { break }
      ends.append(token.end)
      cursor.skipSpaces()
    }
    let order = ends.count >= 2 ? [1, 0, 2] : [0]
    // The tokens must be the timestamp whole: `2024-01-15T08:00:00Z  INFO` is a time and a
    // level, not a time with text after it.
    for index in order where index < ends.count {
      if let (time, end) = context.timestamps.prefix(bytes, ByteSpan(span.start, ends[index])),
        end == ends[index]
      {
        return (time, ends[index])
      }
    }
    return nil
  }

  /// Reads `[ … ]` allowing nested brackets; the cursor must be on `[`.
  static func readBracketed(_ cursor: inout ByteCursor, _ bytes: UnsafeBufferPointer<UInt8>)
    -> ByteSpan?
  {
    guard cursor.consume(0x5B) else { return nil }
    let start = cursor.position
    var depth = 1
    while let byte = cursor.peek {
      cursor.position += 1
      if byte == 0x5B { depth += 1 }
      if byte == 0x5D {
        depth -= 1
        if depth == 0 { return ByteSpan(start, cursor.position - 1) }
      }
    }
    return nil
  }

  /// `span` without leading and trailing blanks.
  static func trim(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> ByteSpan {
    var result = span
    while result.start < result.end, ByteClass.isBlank(bytes[result.start]) { result.start += 1 }
    while result.end > result.start, ByteClass.isBlank(bytes[result.end - 1]) { result.end -= 1 }
    return result
  }
}
