/// What a parser needs besides the line: the timestamp parser, configured with the year to
/// assume for timestamps that have none.
public struct ParseContext: Sendable {
  /// Parses timestamps from bytes.
  public var timestamps: TimestampParser

  /// Creates a context that assumes `defaultYear` for year-less timestamps.
  public init(defaultYear: Int) {
    timestamps = TimestampParser(defaultYear: defaultYear)
  }
}

/// A log format whose records start on a line of their own: it parses one line's bytes into
/// a record's fields.
///
/// To add a format: write one type conforming to this protocol and add it to
/// ``FormatCatalog``.
public protocol LineFormat: Sendable {
  /// The name used by `--format` and shown in the summary.
  var name: String { get }

  /// Whether lines that do not match may continue the previous record (stack traces).
  var joinsContinuationLines: Bool { get }

  /// Parses the line at `record.span` and fills `record`'s fields.
  /// - Parameters:
  ///   - bytes: the whole source buffer.
  ///   - record: the record to fill; its `line`, `span` and `message` are set on entry.
  ///   - context: the timestamp parser.
  /// - Returns: `true` when the line matches the format; `false` leaves `record` unchanged
  ///   in meaning (the caller keeps the line as a plain message).
  func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord, _ context: ParseContext
  )
    -> Bool

  /// Checks, during auto-detection only, that a parsed record is a plausible instance of the
  /// format (a lenient pattern may match lines of another format).
  func isPlausible(_ bytes: UnsafeBufferPointer<UInt8>, _ record: LogRecord) -> Bool

  /// For a format that puts a prefix on every line, continuations included (container logs):
  /// the text after the prefix, which is judged as a continuation line before the line is
  /// parsed. `nil` (the default): only a line that does not parse may continue a record.
  func prefixedContent(
    _ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, _ context: ParseContext
  )
    -> ByteSpan?
}

extension LineFormat {
  /// Header formats join continuation lines by default.
  public var joinsContinuationLines: Bool { true }

  /// Every parsed record is plausible unless the format says otherwise.
  public func isPlausible(_ bytes: UnsafeBufferPointer<UInt8>, _ record: LogRecord) -> Bool { true }

  /// Lines have no prefix of their own.
  public func prefixedContent(
    _ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, _ context: ParseContext
  ) -> ByteSpan? { nil }
}
