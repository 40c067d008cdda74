/// HAProxy's HTTP log line, as it sends it to syslog (`option httplog`):
/// `10.0.0.5:51515 [15/Jan/2024:08:00:00.123] frontend backend/server 0/0/1/2/3 200 512 - -
/// ---- 1/1/0/0/0 0/0 "GET /path HTTP/1.1"`.
///
/// Fields: `client`, `client_port`, `frontend`, `backend`, `server`, `timers` (Tq/Tw/Tc/Tr/Tt,
/// ms), `response_time` (Tr, the server's, ms; `-1` when it did not answer), `status`, `bytes`,
/// `termination_state`, `method`, `uri`, `protocol`. The level follows the status as for access
/// logs; the message stays whole, so templates group by frontend, backend and termination
/// state. TCP-mode lines (no status, no request) are left as they are.
enum HAProxyMessage {
  /// The program name HAProxy logs under.
  static let program = Array("haproxy".utf8)

  /// Reads the HTTP log in `record`'s message, when it holds one.
  /// - Returns: whether it did.
  static func apply(_ bytes: UnsafeBufferPointer<UInt8>, to record: inout LogRecord) -> Bool {
    var cursor = ByteCursor(bytes, record.message.span)
    var tokens: [ByteSpan] = []
    while tokens.count < 20 {
      cursor.skipSpaces()
      guard let byte = cursor.peek, byte != 0x22 else { break }
      tokens.append(cursor.readToken())
    }
    cursor.skipSpaces()
    guard tokens.count >= 8, let request = cursor.readQuoted(),
      let colon = (tokens[0].start..<tokens[0].end).last(where: { bytes[$0] == 0x3A }),
      bytes[tokens[1].start] == 0x5B,
      let slash = (tokens[3].start..<tokens[3].end).first(where: { bytes[$0] == 0x2F }),
      let status = ByteClass.integer(bytes, tokens[5]), (100..<600).contains(status)
    else { return false }
    let timers = tokens[4]
    var timerParts: [ByteSpan] = []
    var partStart = timers.start
    for index in timers.start...timers.end where index == timers.end || bytes[index] == 0x2F {
      timerParts.append(ByteSpan(partStart, index))
      partStart = index + 1
    }
    guard timerParts.count >= 4 else { return false }
    var fields = record.fields
    fields.append(RecordField("client", TextRef(ByteSpan(tokens[0].start, colon))))
    fields.append(RecordField("client_port", TextRef(ByteSpan(colon + 1, tokens[0].end))))
    fields.append(RecordField("frontend", TextRef(tokens[2])))
    fields.append(RecordField("backend", TextRef(ByteSpan(tokens[3].start, slash))))
    fields.append(RecordField("server", TextRef(ByteSpan(slash + 1, tokens[3].end))))
    fields.append(RecordField("timers", TextRef(timers)))
    fields.append(RecordField("response_time", TextRef(timerParts[timerParts.count - 2])))
    fields.append(RecordField("status", TextRef(tokens[5])))
    fields.append(RecordField("bytes", TextRef(tokens[6])))
    if tokens.count >= 10 { fields.append(RecordField("termination_state", TextRef(tokens[9]))) }
    AccessLogFormat.appendRequestFields(bytes, request, .raw, to: &fields)
    record.fields = fields
    record.level = LogLevel.ofHTTPStatus(status)
    return true
  }
}
