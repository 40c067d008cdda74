/// A named value parsed from a record (`status`, `uri`, a JSON key, a CSV column, …).
public struct RecordField: Sendable, Hashable {
  /// The field's name; shared between records of one format.
  public var name: String
  /// The value's bytes in the source buffer.
  public var value: TextRef

  /// Creates a field.
  @inlinable
  public init(_ name: String, _ value: TextRef) {
    self.name = name
    self.value = value
  }
}

/// One log event: a physical line, or several joined lines for a stack trace.
///
/// Text parts are spans into the ``SourceBuffer`` the record came from; nothing is copied
/// while parsing.
public struct LogRecord: Sendable {
  /// The 1-based physical line where the record starts.
  public var line: Int
  /// How many physical lines the record covers (more than 1 for joined continuations).
  public var lineCount: Int = 1
  /// The record's bytes, all lines included.
  public var span: ByteSpan
  /// The moment of the event, in seconds since 1970-01-01 UTC, when the record has one.
  public var timestamp: Double?
  /// The record's level, when it has one.
  public var level: LogLevel?
  /// The component, service, logger or module that wrote the record.
  public var component: TextRef?
  /// The host that wrote the record.
  public var host: TextRef?
  /// The process or program name.
  public var process: TextRef?
  /// The process id.
  public var pid: Int?
  /// The free-text message (for a joined record, it runs to the end of the last line).
  public var message: TextRef
  /// Other named values.
  public var fields: [RecordField] = []
  /// Whether the record matched the input's format (unparsed lines are kept as messages).
  public var parsed: Bool = true

  /// Creates a record for the line at `span`, with the whole line as its message.
  /// - Parameters:
  ///   - line: the 1-based line number.
  ///   - span: the line's bytes.
  @inlinable
  public init(line: Int, span: ByteSpan) {
    self.line = line
    self.span = span
    self.message = TextRef(span)
  }

  /// The value of the first field called `name`, if any.
  /// - Parameter name: the field name.
  /// - Returns: the field's text reference.
  public func field(_ name: String) -> TextRef? {
    fields.first(where: { $0.name == name })?.value
  }
}
