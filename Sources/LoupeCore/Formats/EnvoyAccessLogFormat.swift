/// Envoy's default access log, and Istio's, which adds columns to it:
///
/// `[START_TIME] "METHOD PATH PROTOCOL" RESPONSE_CODE RESPONSE_FLAGS [details termination
/// "failure reason"] BYTES_RECEIVED BYTES_SENT DURATION UPSTREAM_SERVICE_TIME "X-FORWARDED-FOR"
/// "USER-AGENT" "X-REQUEST-ID" "AUTHORITY" "UPSTREAM_HOST" [cluster upstream-local
/// downstream-local downstream-remote server-name route]`
///
/// The four numbers (or `-`) after the status and its flags place the columns, so both
/// layouts read. Fields: `method`, `uri`, `protocol`, `status`, `response_flags` (`UH`: no
/// healthy upstream, `UF`, `UT`, `NR`…), `bytes_received`, `bytes` (sent), `duration_ms`,
/// `upstream_service_time_ms`, `x_forwarded_for`, `user_agent`, `request_id`, `authority`,
/// `upstream_host`, Istio's `upstream_cluster` and `downstream_remote_address`, and `client`:
/// the first forwarded-for address, else the downstream address without its port. The level
/// follows the status as for web servers (a TCP connection's status 0 is info). The message
/// is the request line with its status and flags, so that templates group by request and
/// outcome.
public struct EnvoyAccessLogFormat: LineFormat {
  /// `envoy`.
  public let name = "envoy"

  /// Access log lines never continue on the next line.
  public var joinsContinuationLines: Bool { false }

  /// Creates the format.
  public init() {}

  /// Parses one access-log line.
  public func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord, _ context: ParseContext
  ) -> Bool {
    var cursor = ByteCursor(bytes, record.span)
    guard cursor.consume(0x5B), let timeSpan = cursor.read(until: 0x5D),
      let timestamp = context.timestamps.parse(bytes, timeSpan)
    else { return false }
    cursor.skipSpaces()
    let messageStart = cursor.position
    guard let request = cursor.readQuoted() else { return false }
    cursor.skipSpaces()
    let statusSpan = cursor.readToken()
    guard let status = ByteClass.integer(bytes, statusSpan), statusSpan.count <= 3 else {
      return false
    }
    // The rest, as unquoted tokens and quoted strings.
    var parts: [(span: ByteSpan, quoted: Bool)] = []
    while parts.count < 32 {
      cursor.skipSpaces()
      if cursor.atEnd { break }
      if cursor.peek == 0x22 {
        guard let quoted = cursor.readQuoted() else { return false }
        parts.append((quoted, true))
      } else {
        parts.append((cursor.readToken(), false))
      }
    }
    func isCount(_ index: Int) -> Bool {
      let part = parts[index]
      return !part.quoted
        && (ByteClass.integer(bytes, part.span) != nil
          || (part.span.count == 1 && bytes[part.span.start] == 0x2D))
    }
    // The first four counts in a row after the flags: received, sent, duration, upstream time.
    guard parts.count >= 5, !parts[0].quoted,
      let counts = (1...(parts.count - 4)).first(where: { start in
        (start..<start + 4).allSatisfy(isCount)
      })
    else { return false }
    var fields: [RecordField] = []
    fields.reserveCapacity(20)
    AccessLogFormat.appendRequestFields(bytes, request, .jsonEscaped, to: &fields)
    fields.append(RecordField("status", TextRef(statusSpan)))
    fields.append(RecordField("response_flags", TextRef(parts[0].span)))
    let countNames = ["bytes_received", "bytes", "duration_ms", "upstream_service_time_ms"]
    for (offset, name) in countNames.enumerated() {
      fields.append(RecordField(name, TextRef(parts[counts + offset].span)))
    }
    var after = parts[(counts + 4)...].makeIterator()
    var forwarded: ByteSpan?
    for name in ["x_forwarded_for", "user_agent", "request_id", "authority", "upstream_host"] {
      guard let part = after.next(), part.quoted else { break }
      fields.append(RecordField(name, TextRef(part.span, .jsonEscaped)))
      if name == "x_forwarded_for" { forwarded = part.span }
    }
    var downstream: ByteSpan?
    let istioNames = [
      "upstream_cluster", "upstream_local_address", "downstream_local_address",
      "downstream_remote_address",
    ]
    for name in istioNames {
      guard let part = after.next(), !part.quoted else { break }
      fields.append(RecordField(name, TextRef(part.span)))
      if name == "downstream_remote_address" { downstream = part.span }
    }
    if let client = Self.client(bytes, forwarded: forwarded, downstream: downstream) {
      fields.append(RecordField("client", TextRef(client)))
    }
    record.timestamp = timestamp
    record.level = status == 0 ? .info : LogLevel.ofHTTPStatus(status)
    record.message = TextRef(ByteSpan(messageStart, parts[0].span.end))
    record.fields = fields
    return true
  }

  /// The client: the first address of `X-Forwarded-For`, else the downstream peer without its
  /// port; `nil` when neither names one.
  static func client(
    _ bytes: UnsafeBufferPointer<UInt8>, forwarded: ByteSpan?, downstream: ByteSpan?
  ) -> ByteSpan? {
    if let forwarded, !isDash(bytes, forwarded) {
      var end = forwarded.start
      while end < forwarded.end, bytes[end] != 0x2C { end += 1 }
      return ByteSpan(forwarded.start, end)
    }
    guard let downstream, !isDash(bytes, downstream) else { return nil }
    // `10.0.0.7:40712`, or `[2001:db8::7]:40712`: the port follows the last colon.
    guard let colon = (downstream.start..<downstream.end).last(where: { bytes[$0] == 0x3A }),
      colon > downstream.start
    else { return downstream }
    if bytes[downstream.start] == 0x5B, bytes[colon - 1] == 0x5D {
      return ByteSpan(downstream.start + 1, colon - 1)
    }
    return ByteSpan(downstream.start, colon)
  }

  private static func isDash(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Bool {
    span.isEmpty || (span.count == 1 && bytes[span.start] == 0x2D)
  }
}
