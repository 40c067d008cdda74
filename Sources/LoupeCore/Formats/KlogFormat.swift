/// The header of Google's glog and of Kubernetes' klog, which most Kubernetes components and
/// many Go and C++ programs write: `Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg`, where `L`
/// is the level (`I`nfo, `W`arning, `E`rror, `F`atal). glog since 0.7 writes the year too
/// (`I20240115 08:00:00.123456 …`); without it the context's default year is taken, as for
/// syslog.
///
/// Fields: the level, the timestamp, `pid` (the thread id, which Go's klog fills with the
/// process id), the component (the source file, `server.go`) and `source_line`. The message is
/// the text after `] `; klog's structured calls (`"Error syncing pod" err="…" pod="…"`) keep
/// their pairs in it, for the template miner to mask.
public struct KlogFormat: LineFormat {
  /// `klog`.
  public let name = "klog"

  /// Creates the format.
  public init() {}

  /// Parses one klog or glog line.
  public func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord, _ context: ParseContext
  ) -> Bool {
    let span = record.span
    guard span.count > 24, let level = Self.level(bytes[span.start]) else { return false }
    var cursor = ByteCursor(bytes, ByteSpan(span.start + 1, span.end))
    guard let date = cursor.readInteger(), date.digits == 4 || date.digits == 8,
      cursor.consume(0x20), let hour = Self.twoDigits(&cursor), cursor.consume(0x3A),
      let minute = Self.twoDigits(&cursor), cursor.consume(0x3A)
    else { return false }
    // Seconds with their fraction: `00.123456`.
    let secondsText = cursor.readToken()
    guard secondsText.count >= 2, ByteClass.isDigit(bytes[secondsText.start]),
      let seconds = ByteClass.number(bytes, secondsText)
    else { return false }
    let year = date.digits == 8 ? date.value / 10_000 : context.timestamps.defaultYear
    let month = date.value / 100 % 100
    let day = date.value % 100
    guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, seconds < 61
    else { return false }
    cursor.skipSpaces()
    guard let thread = cursor.readInteger(), cursor.consume(0x20) else { return false }
    // `file:line]`: the source file runs to the last colon before the bracket.
    let source = cursor.readToken()
    guard source.count >= 4, bytes[source.end - 1] == 0x5D,
      let colon = (source.start..<source.end - 1).last(where: { bytes[$0] == 0x3A }),
      colon > source.start, ByteClass.integer(bytes, ByteSpan(colon + 1, source.end - 1)) != nil
    else { return false }
    cursor.skipSpaces()
    let days = TimestampParser.daysFromCivil(year, month, day)
    record.timestamp = Double(days * 86_400 + hour * 3600 + minute * 60) + seconds
    record.level = level
    record.pid = thread.value
    record.component = TextRef(ByteSpan(source.start, colon))
    record.fields = [RecordField("source_line", TextRef(ByteSpan(colon + 1, source.end - 1)))]
    record.message = TextRef(ByteSpan(cursor.position, span.end))
    return true
  }

  /// Whether `span` may start a klog header (a level letter and a digit): a cheap test before
  /// parsing a message that might be one.
  static func mayStart(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Bool {
    span.count > 24 && level(bytes[span.start]) != nil && ByteClass.isDigit(bytes[span.start + 1])
  }

  /// The level a header letter stands for.
  static func level(_ letter: UInt8) -> LogLevel? {
    switch letter {
    case 0x49: .info
    case 0x57: .warning
    case 0x45: .error
    case 0x46: .critical
    default: nil
    }
  }

  private static func twoDigits(_ cursor: inout ByteCursor) -> Int? {
    guard let number = cursor.readInteger(), number.digits == 2 else { return nil }
    return number.value
  }
}
