/// The fallback: each line is a message with no header. Records read this way count as
/// unparsed; indented lines still join the record above them.
public struct PlainFormat: LineFormat {
  /// `plain`.
  public let name = "plain"

  /// Creates the format.
  public init() {}

  /// Never matches: every line stays a plain message.
  public func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord, _ context: ParseContext
  ) -> Bool { false }
}

/// Apache or Nginx logs of either kind (access or error), for `--format apache` and
/// `--format nginx`: each line is tried as an access line, then as an error line.
public struct WebServerFormat: LineFormat {
  /// `apache` or `nginx`.
  public let name: String
  private let access = AccessLogFormat()
  private let error = WebErrorLogFormat()

  /// Creates the format under `name`.
  public init(name: String) { self.name = name }

  /// Parses an access or error line.
  public func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord, _ context: ParseContext
  ) -> Bool {
    access.parse(bytes, &record, context) || error.parse(bytes, &record, context)
  }
}
