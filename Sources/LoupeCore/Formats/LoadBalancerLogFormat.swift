/// AWS load balancer access logs: Application Load Balancer lines (`http|https|h2|grpcs|ws|wss
/// time elb client:port target:port …`) and Classic Load Balancer lines (`time elb client:port
/// backend:port …`), as written to S3.
///
/// Fields: `type` (ALB), `elb`, `client` and `client_port`, `target`, `request_processing_time`,
/// `target_processing_time`, `response_processing_time` (seconds; `response_time` is the
/// target's), `status` (the load balancer's), `target_status`, `received_bytes`, `bytes` (sent),
/// `method`, `uri`, `protocol`, `user_agent`, `ssl_cipher`, `ssl_protocol`, and for ALB the
/// quoted `trace_id`, `domain`, `error_reason` when present. The level follows the status as for
/// other access logs (5xx error, 4xx warning), and the message is the request line, so that
/// templates group by request shape.
public struct LoadBalancerLogFormat: LineFormat {
  /// `elb`.
  public let name = "elb"

  /// Creates the format.
  public init() {}

  /// The request types that start an Application Load Balancer line.
  static let albTypes: [[UInt8]] = ["http", "https", "h2", "grpcs", "ws", "wss"].map {
    Array($0.utf8)
  }

  /// The unquoted names of the fields from the time on, in order.
  static let timedNames = [
    "time", "elb", "client", "target", "request_processing_time", "target_processing_time",
    "response_processing_time", "status", "target_status", "received_bytes", "bytes",
  ]

  /// Parses one load balancer line.
  public func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord, _ context: ParseContext
  ) -> Bool {
    var cursor = ByteCursor(bytes, record.span)
    var fields: [RecordField] = []
    fields.reserveCapacity(20)
    var first = cursor.readToken()
    guard !first.isEmpty else { return false }
    if first.count <= 5,
      Self.albTypes.contains(where: {
        $0.elementsEqual(UnsafeBufferPointer(rebasing: bytes[first.start..<first.end]))
      })
    {
      fields.append(RecordField("type", TextRef(first)))
      cursor.skipSpaces()
      first = cursor.readToken()
    }
    guard first.count >= 20, bytes[first.end - 1] == 0x5A,
      let time = context.timestamps.parse(bytes, first)
    else { return false }
    var tokens = [first]
    for _ in 1..<Self.timedNames.count {
      cursor.skipSpaces()
      let token = cursor.readToken()
      guard !token.isEmpty, bytes[token.start] != 0x22 else { return false }
      tokens.append(token)
    }
    // client:port, and numbers where numbers belong (`-1` when the target did not answer).
    guard let colon = (tokens[2].start..<tokens[2].end).last(where: { bytes[$0] == 0x3A }),
      (4...10).allSatisfy({
        ByteClass.number(bytes, tokens[$0]) != nil || bytes[tokens[$0].start] == 0x2D
      }),
      let status = ByteClass.integer(bytes, tokens[7])
    else { return false }
    for (name, token) in zip(Self.timedNames, tokens).dropFirst() where name != "client" {
      fields.append(RecordField(name, TextRef(token)))
    }
    fields.append(RecordField("client", TextRef(ByteSpan(tokens[2].start, colon))))
    fields.append(RecordField("client_port", TextRef(ByteSpan(colon + 1, tokens[2].end))))
    fields.append(RecordField("response_time", TextRef(tokens[5])))
    cursor.skipSpaces()
    guard let request = cursor.readQuoted() else { return false }
    AccessLogFormat.appendRequestFields(bytes, request, .raw, to: &fields)
    cursor.skipSpaces()
    if let agent = cursor.readQuoted() {
      fields.append(RecordField("user_agent", TextRef(agent, .jsonEscaped)))
    }
    // The rest: two unquoted TLS fields, then (ALB) the target group and quoted extras.
    let rest: [(String, Bool)] = [
      ("ssl_cipher", false), ("ssl_protocol", false), ("target_group_arn", false),
      ("trace_id", true), ("domain", true), ("chosen_cert_arn", true),
      ("matched_rule_priority", false), ("request_creation_time", false),
      ("actions_executed", true), ("redirect_url", true), ("error_reason", true),
    ]
    for (name, quoted) in rest {
      cursor.skipSpaces()
      guard !cursor.atEnd else { break }
      let value = quoted ? cursor.readQuoted() : cursor.readToken()
      guard let value else { break }
      if !value.isEmpty, !(value.count == 1 && bytes[value.start] == 0x2D) {
        fields.append(RecordField(name, TextRef(value)))
      }
    }
    record.timestamp = time
    record.level = (100..<600).contains(status) ? LogLevel.ofHTTPStatus(status) : nil
    record.message = TextRef(request)
    record.fields = fields
    return true
  }
}
