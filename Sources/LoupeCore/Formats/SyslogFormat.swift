/// Syslog lines: RFC 3164 (`<34>Oct 11 22:14:15 host su[123]: message`, the priority being
/// optional as in files written by rsyslog), RFC 5424 (`<34>1 2003-10-11T22:14:15.003Z host
/// app procid msgid [sd] message`), and the ISO-timestamp variant
/// (`2024-01-15T08:00:00.123+00:00 host app[pid]: message`).
///
/// The level comes from the priority's severity. Fields: `priority`, `msgid`, and each structured-data
/// parameter as `sd.ID.NAME`. A CEF event in the message is read as ``CEFMessage`` reads it,
/// an HAProxy HTTP log as ``HAProxyMessage`` does, a Cisco message code as ``CiscoMessage``
/// does, and a klog line (a Kubernetes component
/// under systemd) as ``KlogFormat`` does: it gives the level when the line has no priority.
public struct SyslogFormat: LineFormat {
  /// `syslog`.
  public let name = "syslog"

  /// Creates the format.
  public init() {}

  /// Parses one syslog line.
  public func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord, _ context: ParseContext
  ) -> Bool {
    var cursor = ByteCursor(bytes, record.span)
    guard let header = Self.parseHeader(&cursor, bytes, context) else { return false }
    apply(header, to: &record)
    record.message = TextRef(cursor.rest)
    if let app = header.app, app.count == 3, CEFMessage.apply(bytes, from: app.start, to: &record) {
      // A CEF event (``CEFMessage``): its `CEF:` marker reads as the program name.
    } else if let app = header.app,
      UnsafeBufferPointer(rebasing: bytes[app.start..<app.end]).elementsEqual(
        HAProxyMessage.program)
    {
      _ = HAProxyMessage.apply(bytes, to: &record)
    } else if let app = header.app, let first = app.isEmpty ? nil : bytes[app.start],
      first == 0x25 || first == 0x2A || ByteClass.isDigit(first)
    {
      // A Cisco device: `%ASA-4-106023:` as the program, or `123: *Jan 15 …: %LINK-3-…`.
      CiscoMessage.apply(bytes, program: app, to: &record)
    } else if KlogFormat.mayStart(bytes, record.message.span) {
      // A Kubernetes component under systemd (`kubelet[1234]: E0115 08:00:00.123456 …`).
      EmbeddedLine.merge(KlogFormat(), bytes, into: &record, context)
    }
    return true
  }

  /// The parts of a syslog header.
  struct Header {
    var priority: Int?
    var prioritySpan: ByteSpan?
    var timestamp: Double?
    var host: ByteSpan?
    var app: ByteSpan?
    var pid: Int?
    var msgid: ByteSpan?
    var structuredData: [RecordField] = []
  }

  func apply(_ header: Header, to record: inout LogRecord) {
    record.timestamp = header.timestamp
    if let priority = header.priority {
      record.level = LogLevel.syslog(severity: priority & 7)
      if let span = header.prioritySpan {
        record.fields.append(RecordField("priority", TextRef(span)))
      }
    }
    record.host = header.host.map { TextRef($0) }
    record.process = header.app.map { TextRef($0) }
    record.component = record.process
    record.pid = header.pid
    if let msgid = header.msgid { record.fields.append(RecordField("msgid", TextRef(msgid))) }
    record.fields.append(contentsOf: header.structuredData)
  }

  /// Whether `word` is a level in capitals (`INFO`, `ERROR`): where a host would be, it says
  /// the line is an application's (`2024-01-15T08:00:00Z  INFO 1 --- [main] …`), not syslog.
  static func isCapitalLevelWord(_ bytes: UnsafeBufferPointer<UInt8>, _ word: ByteSpan) -> Bool {
    let text = UnsafeBufferPointer(rebasing: bytes[word.start..<word.end])
    return text.allSatisfy { $0 >= 0x41 && $0 <= 0x5A } && LogLevel.parse(text) != nil
  }

  /// Reads a syslog header up to the start of the message.
  /// - Returns: the header, or `nil` (cursor position unspecified) when the line is not syslog.
  static func parseHeader(
    _ cursor: inout ByteCursor, _ bytes: UnsafeBufferPointer<UInt8>, _ context: ParseContext
  ) -> Header? {
    var header = Header()
    if cursor.consume(0x3C) {
      let priorityStart = cursor.position
      guard let (priority, digits) = cursor.readInteger(), digits <= 3, priority <= 191,
        cursor.consume(0x3E)
      else { return nil }
      header.priority = priority
      header.prioritySpan = ByteSpan(priorityStart, priorityStart + digits)
      // RFC 5424: a version number and a space right after the priority.
      if let version = cursor.peek, ByteClass.isDigit(version), cursor.peek(at: 1) == 0x20 {
        cursor.position += 2
        return parse5424(&cursor, bytes, context, header)
      }
    }
    cursor.skipSpaces()
    guard let first = cursor.peek else { return nil }
    let timeStart = cursor.position
    if ByteClass.isLetter(first) {
      // `Mmm dd hh:mm:ss`: month, day (maybe space-padded), clock.
      guard cursor.end - cursor.position >= 15 else { return nil }
      cursor.position += 3
      guard cursor.consume(0x20) else { return nil }
      cursor.skipSpaces()
      guard cursor.readInteger() != nil, cursor.consume(0x20) else { return nil }
      let clock = cursor.readToken()
      guard clock.count >= 8, bytes[clock.start + 2] == 0x3A else { return nil }
      // Some writers add the year after the clock.
      var timeEnd = clock.end
      var probe = cursor
      probe.skipSpaces()
      let maybeYear = probe.readToken()
      if maybeYear.count == 4, ByteClass.integer(bytes, maybeYear) != nil {
        timeEnd = maybeYear.end
        cursor = probe
      }
      guard let time = context.timestamps.parse(bytes, ByteSpan(timeStart, timeEnd)) else {
        return nil
      }
      header.timestamp = time
    } else if ByteClass.isDigit(first) {
      let stamp = cursor.readToken()
      guard stamp.count >= 19, bytes[stamp.start + 4] == 0x2D, bytes[stamp.start + 10] == 0x54,
        let time = context.timestamps.parse(bytes, stamp)
      else { return nil }
      header.timestamp = time
    } else {
      return nil
    }
    cursor.skipSpaces()
    let host = cursor.readToken()
    guard !host.isEmpty, bytes[host.end - 1] != 0x3A, !isCapitalLevelWord(bytes, host) else {
      return nil
    }
    header.host = host
    cursor.skipSpaces()
    // The tag: `app[pid]:` or `app:`; the tag ends at the first `:`, `[` or space.
    let tagStart = cursor.position
    var index = tagStart
    var depth = 0
    while index < cursor.end {
      let byte = bytes[index]
      if byte == 0x28 { depth += 1 }
      if byte == 0x29 { depth -= 1 }
      if depth <= 0 && (byte == 0x5B || byte == 0x3A || byte == 0x20) { break }
      index += 1
    }
    guard index < cursor.end, index > tagStart, index - tagStart <= 64 else { return nil }
    header.app = ByteSpan(tagStart, index)
    cursor.position = index
    if cursor.consume(0x5B) {
      guard let pidSpan = cursor.read(until: 0x5D) else { return nil }
      header.pid = ByteClass.integer(bytes, pidSpan)
    }
    // RFC 3164 ends the tag at the first non-alphanumeric byte: `app[pid]:`, `app:`, or
    // `app version: …` as old syslogd writes.
    if !cursor.consume(0x3A) {
      guard cursor.peek == 0x20, header.pid == nil else { return nil }
    }
    cursor.skipSpaces()
    return header
  }

  private static func parse5424(
    _ cursor: inout ByteCursor, _ bytes: UnsafeBufferPointer<UInt8>, _ context: ParseContext,
    _ start: Header
  ) -> Header? {
    var header = start
    func nilValue(_ span: ByteSpan) -> ByteSpan? {
      span.count == 1 && bytes[span.start] == 0x2D ? nil : span
    }
    let stamp = cursor.readToken()
    if let span = nilValue(stamp) {
      guard let time = context.timestamps.parse(bytes, span) else { return nil }
      header.timestamp = time
    }
    guard cursor.consume(0x20) else { return nil }
    header.host = nilValue(cursor.readToken())
    guard cursor.consume(0x20) else { return nil }
    header.app = nilValue(cursor.readToken())
    guard cursor.consume(0x20) else { return nil }
    if let procid = nilValue(cursor.readToken()) { header.pid = ByteClass.integer(bytes, procid) }
    guard cursor.consume(0x20) else { return nil }
    header.msgid = nilValue(cursor.readToken())
    guard cursor.consume(0x20) else { return nil }
    if cursor.consume(0x2D) {
      cursor.skipSpaces()
      return header
    }
    while cursor.peek == 0x5B {
      cursor.position += 1
      let id = cursor.readToken()
      var idEnd = id.end
      if idEnd > id.start, bytes[idEnd - 1] == 0x5D { idEnd -= 1 }
      let prefix =
        "sd."
        + String(decoding: UnsafeBufferPointer(rebasing: bytes[id.start..<idEnd]), as: UTF8.self)
        + "."
      if bytes[id.end - 1] == 0x5D { continue }
      while !cursor.atEnd {
        cursor.skipSpaces()
        if cursor.consume(0x5D) { break }
        guard let name = cursor.read(until: 0x3D), let value = cursor.readQuoted() else {
          return nil
        }
        let nameText = String(
          decoding: UnsafeBufferPointer(rebasing: bytes[name.start..<name.end]), as: UTF8.self)
        header.structuredData.append(RecordField(prefix + nameText, TextRef(value, .jsonEscaped)))
      }
    }
    cursor.skipSpaces()
    return header
  }
}
