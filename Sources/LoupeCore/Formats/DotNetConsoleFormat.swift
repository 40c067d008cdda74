/// .NET's console logger in its default (simple) format, as ASP.NET Core services write to a
/// container's output:
///
/// ```
/// info: Microsoft.AspNetCore.Hosting.Diagnostics[1]
///       Request starting HTTP/1.1 GET http://localhost:5000/api/orders/7 - -
/// fail: Microsoft.AspNetCore.Server.Kestrel[13]
///       Connection id "0HMVD", Request id "0HMVD:00000002": An unhandled exception was thrown.
///       System.NullReferenceException: Object reference not set to an instance of an object.
/// ```
///
/// The first line gives the level (`trce`, `dbug`, `info`, `warn`, `fail` error, `crit`
/// critical), the category (the component) and the event id (the `event_id` field), with an
/// optional time before them (`TimestampFormat`); the indented lines below are the message and
/// any exception, joined to the record. The message starts with the category, which names the
/// kind of event as much as the words do; with `SingleLine` set, it is the text after the id.
public struct DotNetConsoleFormat: LineFormat {
  /// `dotnet`.
  public let name = "dotnet"

  /// Creates the format.
  public init() {}

  /// The console logger's level names.
  static let levels: [(name: StaticString, level: LogLevel)] = [
    ("trce: ", .trace), ("dbug: ", .debug), ("info: ", .info), ("warn: ", .warning),
    ("fail: ", .error), ("crit: ", .critical),
  ]

  /// Parses the first line of one entry.
  public func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord, _ context: ParseContext
  ) -> Bool {
    var cursor = ByteCursor(bytes, record.span)
    var timestamp: Double?
    if let first = cursor.peek, ByteClass.isDigit(first) || first == 0x5B,
      let (time, end) = context.timestamps.prefix(bytes, record.span)
    {
      timestamp = time
      cursor.position = end
      _ = cursor.consume(0x5D)
      cursor.skipSpaces()
    }
    guard let level = Self.levels.first(where: { cursor.consume($0.name) })?.level else {
      return false
    }
    let categoryStart = cursor.position
    guard let category = cursor.read(until: 0x5B), !category.isEmpty,
      !(category.start..<category.end).contains(where: { ByteClass.isBlank(bytes[$0]) }),
      let eventID = cursor.read(until: 0x5D), ByteClass.integer(bytes, eventID) != nil
    else { return false }
    record.timestamp = timestamp
    record.level = level
    record.component = TextRef(category)
    record.fields = [RecordField("event_id", TextRef(eventID))]
    cursor.skipSpaces()
    record.message =
      cursor.atEnd ? TextRef(ByteSpan(categoryStart, cursor.position)) : TextRef(cursor.rest)
    return true
  }
}
