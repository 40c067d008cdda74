/// Apache and Nginx access logs: the common and combined formats and their usual extensions
/// (virtual host or extra address columns before `ident user`, response time after the
/// status and size or after the user agent), also when each line is wrapped in a syslog header.
///
/// `client [extra…] ident user [time] "METHOD URI PROTOCOL" status bytes ["referrer"
/// "user agent"] [response time]`
///
/// Fields: `client`, `ident`, `user`, `prefix` (extra columns), `method`, `uri`, `protocol`,
/// `status`, `bytes`, `referrer`, `user_agent`, `response_time`, and `key=value` extras; the
/// Kubernetes ingress-nginx controller's columns after the user agent by their names
/// (``ingressNames``: `request_length`, `response_time`, `upstream_name`,
/// `upstream_response_time`, `upstream_status`…). The
/// level follows the status: 5xx error, 4xx warning, otherwise info. The message is the
/// request line with status and size, so that templates group by request shape.
public struct AccessLogFormat: LineFormat {
  /// `access`.
  public let name = "access"

  /// Creates the format.
  public init() {}

  /// Parses one access-log line, with or without a syslog header.
  public func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord, _ context: ParseContext
  ) -> Bool {
    var cursor = ByteCursor(bytes, record.span)
    if parseBody(&cursor, bytes, &record, context) { return true }
    guard let first = cursor.peek,
      first == 0x3C || ByteClass.isLetter(first) || ByteClass.isDigit(first)
    else { return false }
    cursor = ByteCursor(bytes, record.span)
    guard let header = SyslogFormat.parseHeader(&cursor, bytes, context) else { return false }
    var inner = record
    inner.fields = []
    guard parseBody(&cursor, bytes, &inner, context) else { return false }
    inner.host = header.host.map { TextRef($0) }
    inner.process = header.app.map { TextRef($0) }
    inner.pid = header.pid
    record = inner
    return true
  }

  private func parseBody(
    _ cursor: inout ByteCursor, _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord,
    _ context: ParseContext
  ) -> Bool {
    var start = cursor
    start.skipSpaces()
    var probe = start
    var tokens: [ByteSpan] = []
    while !probe.atEnd, probe.peek != 0x5B, tokens.count < 9 {
      let token = probe.readToken()
      guard !token.isEmpty else { return false }
      tokens.append(token)
      probe.skipSpaces()
    }
    guard tokens.count >= 3, tokens.count <= 8, probe.consume(0x5B),
      let timeSpan = probe.read(until: 0x5D),
      let timestamp = context.timestamps.parse(bytes, timeSpan)
    else { return false }
    probe.skipSpaces()
    let requestStart = probe.position
    guard let request = probe.readQuoted() else { return false }
    probe.skipSpaces()
    let statusSpan = probe.readToken()
    guard statusSpan.count == 3, let status = ByteClass.integer(bytes, statusSpan) else {
      return false
    }
    probe.skipSpaces()
    let sizeSpan = probe.readToken()
    guard !sizeSpan.isEmpty else { return false }
    let messageEnd = probe.position

    var fields: [RecordField] = []
    fields.reserveCapacity(12)
    fields.append(RecordField("client", TextRef(tokens[0])))
    fields.append(RecordField("ident", TextRef(tokens[tokens.count - 2])))
    fields.append(RecordField("user", TextRef(tokens[tokens.count - 1])))
    if tokens.count > 3 {
      fields.append(
        RecordField("prefix", TextRef(ByteSpan(tokens[1].start, tokens[tokens.count - 3].end))))
    }
    Self.appendRequestFields(bytes, request, .jsonEscaped, to: &fields)
    fields.append(RecordField("status", TextRef(statusSpan)))
    fields.append(RecordField("bytes", TextRef(sizeSpan)))

    var quotedSeen = 0
    var timingSeen = false
    var plain: [ByteSpan] = []
    while !probe.atEnd {
      probe.skipSpaces()
      if probe.peek == 0x22 {
        guard let quoted = probe.readQuoted() else { break }
        switch quotedSeen {
        case 0: fields.append(RecordField("referrer", TextRef(quoted, .jsonEscaped)))
        case 1: fields.append(RecordField("user_agent", TextRef(quoted, .jsonEscaped)))
        default: break
        }
        quotedSeen += 1
        continue
      }
      let token = probe.readToken()
      if token.isEmpty { break }
      if let equals = (token.start..<token.end).first(where: { bytes[$0] == 0x3D }),
        equals > token.start
      {
        let key = String(
          decoding: UnsafeBufferPointer(rebasing: bytes[token.start..<equals]), as: UTF8.self)
        fields.append(RecordField(key, TextRef(ByteSpan(equals + 1, token.end))))
      } else {
        plain.append(token)
      }
    }
    if quotedSeen >= 2, Self.isIngressLayout(bytes, plain) {
      for (name, token) in zip(Self.ingressNames, plain) {
        fields.append(RecordField(name, TextRef(token)))
      }
      timingSeen = true
    }
    for token in plain where !timingSeen && ByteClass.number(bytes, token) != nil {
      fields.append(RecordField("response_time", TextRef(token)))
      timingSeen = true
    }
    record.timestamp = timestamp
    record.level = LogLevel.ofHTTPStatus(status)
    record.message = TextRef(ByteSpan(requestStart, messageEnd))
    record.fields = fields
    cursor = probe
    return true
  }

  /// The columns the Kubernetes ingress-nginx controller adds after the user agent, in order.
  static let ingressNames = [
    "request_length", "response_time", "upstream_name", "upstream_alternative", "upstream_addr",
    "upstream_response_length", "upstream_response_time", "upstream_status", "request_id",
  ]

  /// Whether the columns after the user agent are ingress-nginx's: the request's length and
  /// time, then the upstream's name in brackets (`74 0.002 [default-web-80] [] 10.244.0.5:80 …`).
  static func isIngressLayout(_ bytes: UnsafeBufferPointer<UInt8>, _ plain: [ByteSpan]) -> Bool {
    plain.count >= 3 && ByteClass.integer(bytes, plain[0]) != nil
      && ByteClass.number(bytes, plain[1]) != nil && bytes[plain[2].start] == 0x5B
  }

  /// Appends `method`, `uri` and `protocol` from a request line (`GET /path HTTP/1.1`), when it
  /// has at least a method and a URI.
  static func appendRequestFields(
    _ bytes: UnsafeBufferPointer<UInt8>, _ request: ByteSpan, _ encoding: TextEncoding,
    to fields: inout [RecordField]
  ) {
    var cursor = ByteCursor(bytes, request)
    let method = cursor.readToken()
    cursor.skipSpaces()
    let uri = cursor.readToken()
    cursor.skipSpaces()
    guard !uri.isEmpty else { return }
    fields.append(RecordField("method", TextRef(method, encoding)))
    fields.append(RecordField("uri", TextRef(uri, encoding)))
    if !cursor.atEnd { fields.append(RecordField("protocol", TextRef(cursor.rest, encoding))) }
  }
}
