/// Python's `logging` in its default format (`logging.basicConfig()` with no format):
/// `LEVEL:logger:message`, as in `WARNING:root:disk almost full` or
/// `ERROR:app.db:Connection refused`. There is no timestamp; the level is one of Python's names
/// (`DEBUG`, `INFO`, `WARNING`, `ERROR`, `CRITICAL`, and `WARN`/`FATAL`), the logger a dotted
/// name. A traceback after a line joins its record.
public struct PythonLoggingFormat: LineFormat {
  /// `python`.
  public let name = "python"

  /// Creates the format.
  public init() {}

  /// Python's level names, as `logging` writes them.
  static let levels: [(name: StaticString, level: LogLevel)] = [
    ("DEBUG:", .debug), ("INFO:", .info), ("WARNING:", .warning), ("WARN:", .warning),
    ("ERROR:", .error), ("CRITICAL:", .critical), ("FATAL:", .critical),
  ]

  /// Parses one `LEVEL:logger:message` line.
  public func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord, _ context: ParseContext
  ) -> Bool {
    var cursor = ByteCursor(bytes, record.span)
    guard let first = cursor.peek, first &- 0x43 <= 0x57 - 0x43,
      let level = Self.levels.first(where: { cursor.consume($0.name) })?.level
    else { return false }
    let logger = cursor.position
    while let byte = cursor.peek, byte != 0x3A {
      guard
        ByteClass.isLetter(byte) || ByteClass.isDigit(byte) || byte == 0x2E || byte == 0x5F
          || byte == 0x2D
      else { return false }
      cursor.position += 1
    }
    guard cursor.position > logger, cursor.consume(0x3A) else { return false }
    record.level = level
    record.component = TextRef(ByteSpan(logger, cursor.position - 1))
    record.message = TextRef(cursor.rest)
    return true
  }
}
