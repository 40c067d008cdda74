/// Squid's native access log (`logformat squid`, the default of `/var/log/squid/access.log`):
/// `1705305600.123    123 10.0.0.5 TCP_MISS/200 1234 GET http://example.com/ - HIER_DIRECT/93.184.216.34 text/html`.
///
/// Fields: `response_time` (the elapsed milliseconds), `client`, `result_code` (`TCP_MISS`,
/// `TCP_DENIED`…), `status`, `bytes`, `method`, `uri`, `user`, `hierarchy` and `content_type`,
/// under the names the access-log detectors read. The time is the epoch seconds; the level
/// follows the status as for web servers' access logs. The message runs from the result code
/// to the URI (`TCP_DENIED/403 3456 CONNECT evil.example:443`), so that templates group by
/// result and method.
public struct SquidLogFormat: LineFormat {
  /// `squid`.
  public let name = "squid"

  /// Squid's lines never continue on the next line.
  public var joinsContinuationLines: Bool { false }

  /// Creates the format.
  public init() {}

  /// Parses one native access-log line.
  public func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord, _ context: ParseContext
  ) -> Bool {
    var cursor = ByteCursor(bytes, record.span)
    var tokens: [ByteSpan] = []
    tokens.reserveCapacity(10)
    cursor.skipSpaces()
    while !cursor.atEnd, tokens.count < 10 {
      tokens.append(cursor.readToken())
      cursor.skipSpaces()
    }
    guard tokens.count >= 7, let time = ByteClass.number(bytes, tokens[0]), time >= 1e8,
      (tokens[0].start..<tokens[0].end).contains(where: { bytes[$0] == 0x2E }),
      ByteClass.integer(bytes, tokens[1]) != nil, ByteClass.integer(bytes, tokens[4]) != nil,
      let slash = (tokens[3].start..<tokens[3].end).last(where: { bytes[$0] == 0x2F }),
      slash > tokens[3].start, tokens[3].end - slash == 4
    else { return false }
    let statusSpan = ByteSpan(slash + 1, tokens[3].end)
    guard let status = ByteClass.integer(bytes, statusSpan) else { return false }
    var fields = [
      RecordField("response_time", TextRef(tokens[1])),
      RecordField("client", TextRef(tokens[2])),
      RecordField("result_code", TextRef(ByteSpan(tokens[3].start, slash))),
      RecordField("status", TextRef(statusSpan)),
      RecordField("bytes", TextRef(tokens[4])),
      RecordField("method", TextRef(tokens[5])),
      RecordField("uri", TextRef(tokens[6])),
    ]
    for (name, index) in [("user", 7), ("hierarchy", 8), ("content_type", 9)]
    where index < tokens.count {
      fields.append(RecordField(name, TextRef(tokens[index])))
    }
    record.timestamp = time
    // Status 000: no reply was sent (the client went away); judged as an ordinary request.
    record.level = status == 0 ? .info : LogLevel.ofHTTPStatus(status)
    record.message = TextRef(ByteSpan(tokens[3].start, tokens[6].end))
    record.fields = fields
    return true
  }
}
