/// Any line that carries a timestamp among its first words: what auto-detection falls back to
/// when no known format fits, so that an unknown format still gives each record its time and,
/// where one follows the time, its level.
///
/// The timestamp may come first or after up to three words (a file name, a host, a sequence
/// number: kept as the `prefix` field), bare or in brackets, and may run straight into the
/// rest (`20171223-22:15:29:606|Step_LSC|…`). After it, separators (`]`, `|`, `,`, `-`, `--`,
/// `:`) are skipped, then up to three items are read: a zone name, a pid (a number, bare,
/// bracketed or after `#`), a level word of at least three letters (bare, bracketed or followed
/// by `:`), a bracketed name (the component). The message is the rest of the line. A level
/// word among the words before the time (`INFO  [main] 2024-01-15 08:00:00,123 …`) is the
/// level when none follows it.
public struct StampedFormat: LineFormat {
  /// `stamped`.
  public let name = "stamped"

  /// Creates the format.
  public init() {}

  /// How many words may come before the timestamp.
  static let wordsBeforeTimestamp = 3

  /// Parses a line whose first words hold a timestamp.
  public func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord, _ context: ParseContext
  ) -> Bool {
    let span = record.span
    var cursor = ByteCursor(bytes, span)
    var found: (seconds: Double, end: Int)?
    var prefixEnd = span.start
    var prefixLevel: LogLevel?
    for _ in 0...Self.wordsBeforeTimestamp {
      cursor.skipSpaces()
      guard let byte = cursor.peek else { break }
      var start = cursor.position
      if byte == 0x5B { start += 1 }
      if start < span.end, ByteClass.isDigit(bytes[start]) || ByteClass.isLetter(bytes[start]),
        let stamp = context.timestamps.prefix(bytes, ByteSpan(start, span.end)),
        start == span.start || Self.hasClock(bytes, ByteSpan(start, stamp.end))
      {
        // After other words, only a time of day makes a timestamp (not a bare number).
        found = stamp
        break
      }
      var word = cursor.readToken()
      prefixEnd = word.end
      // A level word before the time (Cassandra's `INFO  [main] 2024-01-15 08:00:00,123 …`).
      if bytes[word.start] == 0x5B, word.count > 2, bytes[word.end - 1] == 0x5D {
        word = ByteSpan(word.start + 1, word.end - 1)
      }
      if prefixLevel == nil { prefixLevel = Self.level(bytes, word, marked: false) }
    }
    guard let found else { return false }
    var fields: [RecordField] = []
    if prefixEnd > span.start {
      fields.append(
        RecordField(
          "prefix", TextRef(ApplicationLogFormat.trim(bytes, ByteSpan(span.start, prefixEnd)))))
    }
    cursor.position = found.end
    skipSeparators(&cursor)
    var level: LogLevel?
    for _ in 0..<3 {
      guard let byte = cursor.peek else { break }
      var probe = cursor
      if byte == 0x5B {
        guard let inside = ApplicationLogFormat.readBracketed(&probe, bytes) else { break }
        let word = ApplicationLogFormat.trim(bytes, inside)
        if level == nil, let parsed = Self.level(bytes, word, marked: true) {
          level = parsed
        } else if level == nil, record.pid == nil, let pid = Self.pid(bytes, word) {
          record.pid = pid
        } else if record.component == nil, !word.isEmpty, !Self.hasBlank(bytes, word) {
          record.component = TextRef(inside)
        } else {
          break
        }
      } else {
        var word = probe.readToken()
        let marked = word.count > 1 && bytes[word.end - 1] == 0x3A
        if marked { word.end -= 1 }
        if level == nil, let parsed = Self.level(bytes, word, marked: marked) {
          level = parsed
        } else if level == nil, record.pid == nil, let pid = Self.pid(bytes, word) {
          record.pid = pid
        } else if TimestampParser.isZoneName(bytes, word), record.pid == nil, level == nil {
          // `2024-01-15 08:00:00.123 UTC [1234] LOG: …`
        } else {
          break
        }
      }
      cursor = probe
      skipSeparators(&cursor)
    }
    record.timestamp = found.seconds
    record.level = level ?? prefixLevel
    record.message = TextRef(ByteSpan(min(cursor.position, span.end), span.end))
    record.fields = fields
    return true
  }

  /// A pid: a number, or `#` and a number (Ruby's `#1234]`).
  static func pid(_ bytes: UnsafeBufferPointer<UInt8>, _ word: ByteSpan) -> Int? {
    var digits = word
    if digits.count > 1, bytes[digits.start] == 0x23 { digits.start += 1 }
    if digits.count > 1, bytes[digits.end - 1] == 0x5D { digits.end -= 1 }
    return ByteClass.integer(bytes, digits)
  }

  /// A level word of at least three letters (single letters are too often words). Bare in the
  /// text, not `marked` by brackets or a colon, it must be upper case or one of the common
  /// level words (`info`, `Error`…): "alert triggered" or "config reloaded" is a message.
  static func level(_ bytes: UnsafeBufferPointer<UInt8>, _ word: ByteSpan, marked: Bool)
    -> LogLevel?
  {
    guard word.count >= 3 else { return nil }
    let text = UnsafeBufferPointer(rebasing: bytes[word.start..<word.end])
    guard let level = LogLevel.parse(text) else { return nil }
    if marked || !text.contains(where: { $0 >= 0x61 && $0 <= 0x7A }) { return level }
    let common = commonLevelWords.contains { word in
      word.count == text.count && zip(word, text).allSatisfy { $0 == ($1 | 0x20) }
    }
    return common ? level : nil
  }

  /// Level words that are rarely anything else.
  static let commonLevelWords: [[UInt8]] = [
    "trace", "debug", "info", "warn", "warning", "error", "fatal", "critical",
  ].map { Array($0.utf8) }

  /// Whether `span` holds a time of day (`:` between digits).
  static func hasClock(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Bool {
    guard span.count >= 3 else { return false }
    return (span.start + 1..<span.end - 1).contains {
      bytes[$0] == 0x3A && ByteClass.isDigit(bytes[$0 - 1]) && ByteClass.isDigit(bytes[$0 + 1])
    }
  }

  private static func hasBlank(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Bool {
    (span.start..<span.end).contains { ByteClass.isBlank(bytes[$0]) }
  }

  /// Skips spaces and the punctuation that separates header parts: `]`, `|`, `,`, `:`, and a
  /// `-` standing alone.
  private func skipSeparators(_ cursor: inout ByteCursor) {
    while let byte = cursor.peek {
      switch byte {
      case 0x20, 0x09, 0x5D, 0x7C, 0x2C, 0x3A:
        cursor.position += 1
      case 0x2D:
        // A dash, or a run of them (`--`), standing alone.
        var end = cursor.position
        while cursor.peek(at: end - cursor.position) == 0x2D { end += 1 }
        guard cursor.peek(at: end - cursor.position) == 0x20 else { return }
        cursor.position = end
      default:
        return
      }
    }
  }
}
