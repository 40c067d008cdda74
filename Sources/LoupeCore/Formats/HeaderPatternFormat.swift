/// A line format described by a LOGPAI header format (`--log-format`, or `--format
/// loghub:NAME` for the Loghub systems).
///
/// Captured fields become record fields under their own names, and well-known names fill the
/// record: `Content` the message; `Level` the level; `Component` the component; `Pid`/`PID`
/// the pid; `Process`/`Program` the process; `Node`/`Host` the host; `Month`, `Date`, `Day`, `Time`
/// and `Timestamp` the timestamp (adjacent date and time fields are read together).
public struct HeaderPatternFormat: LineFormat {
  /// The format's name: `loghub:NAME` or `log-format`.
  public let name: String
  /// The compiled header.
  public let pattern: HeaderPattern
  private let roles: [Role]

  enum Role: Equatable {
    case content, level, component, pid, process, host, date, time, epoch, integer, other
  }

  /// Creates a format from a LOGPAI header format.
  /// - Parameters:
  ///   - name: the name shown in the summary.
  ///   - format: the header format.
  /// - Throws: ``HeaderPattern/SyntaxError`` when the format is invalid.
  public init(name: String, format: String) throws(HeaderPattern.SyntaxError) {
    self.name = name
    pattern = try HeaderPattern(format)
    roles = pattern.fieldNames.map { Self.role(of: $0) }
  }

  static func role(of name: String) -> Role {
    switch name.lowercased() {
    case "content": .content
    case "level": .level
    case "component": .component
    case "pid": .pid
    case "process", "program": .process
    case "node", "host", "hostname": .host
    case "month", "date", "day": .date
    case "time": .time
    case "timestamp": .epoch
    case "tid", "logid", "id", "flag": .integer
    default: .other
    }
  }

  /// Parses one line with the header format.
  public func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord, _ context: ParseContext
  ) -> Bool {
    guard let captures = pattern.match(bytes, record.span) else { return false }
    var fields: [RecordField] = []
    fields.reserveCapacity(captures.count)
    var dateTimeStart = Int.max
    var dateTimeEnd = 0
    var dateTimeBytes = 0
    var timeSpan: ByteSpan?
    var epochSpan: ByteSpan?
    for (index, span) in captures.enumerated() {
      let role = roles[index]
      switch role {
      case .content:
        record.message = TextRef(span)
        continue
      case .level:
        record.level = LogLevel.parse(UnsafeBufferPointer(rebasing: bytes[span.start..<span.end]))
      case .component:
        record.component = TextRef(span)
      case .pid:
        record.pid = ByteClass.integer(bytes, span)
      case .process:
        record.process = TextRef(span)
      case .host:
        record.host = TextRef(span)
      case .date, .time:
        dateTimeStart = min(dateTimeStart, span.start)
        dateTimeEnd = max(dateTimeEnd, span.end)
        dateTimeBytes += span.count
        if role == .time { timeSpan = span }
      case .epoch:
        epochSpan = span
      case .integer, .other:
        break
      }
      fields.append(RecordField(pattern.fieldNames[index], TextRef(span)))
    }
    if dateTimeEnd > dateTimeStart, dateTimeEnd - dateTimeStart <= dateTimeBytes + 6 {
      record.timestamp = context.timestamps.parse(bytes, ByteSpan(dateTimeStart, dateTimeEnd))
    }
    if record.timestamp == nil, let timeSpan {
      record.timestamp = context.timestamps.parse(bytes, timeSpan)
    }
    if record.timestamp == nil, let epochSpan {
      record.timestamp = context.timestamps.parse(bytes, epochSpan)
    }
    record.fields = fields
    return true
  }

  /// During auto-detection, a match counts only when the fields look like what they are
  /// named: a level is a level word, ids are integers, time fields give a timestamp, and no
  /// field other than time, content and bracketed fields holds whitespace.
  public func isPlausible(_ bytes: UnsafeBufferPointer<UInt8>, _ record: LogRecord) -> Bool {
    var hasTimeField = false
    for (index, role) in roles.enumerated() where role != .content {
      guard
        let span = record.fields.first(where: { $0.name == pattern.fieldNames[index] })?.value.span
      else { continue }
      switch role {
      case .level:
        if record.level == nil { return false }
      case .integer, .pid:
        if ByteClass.integer(bytes, span) == nil { return false }
      case .date, .time, .epoch:
        hasTimeField = true
        continue
      default:
        break
      }
      if span.isEmpty { return false }
      if pattern.bracketed[index] { continue }
      for offset in span.start..<span.end where ByteClass.isBlank(bytes[offset]) { return false }
    }
    return !hasTimeField || record.timestamp != nil
  }
}
