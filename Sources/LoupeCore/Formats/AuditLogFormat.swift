/// The Linux audit log (`/var/log/audit/audit.log`, written by auditd):
/// `type=USER_AUTH msg=audit(1705305600.123:1001): pid=1234 uid=0 … msg='op=PAM:authentication
/// acct="root" exe="/usr/sbin/sshd" addr=203.0.113.9 terminal=ssh res=failed'`.
///
/// - The time is the epoch seconds in `audit(…)`, or its text in `ausearch -i`'s interpreted
///   output (`audit(01/15/2024 08:00:00.123:1001)`); the number after the last colon is the
///   event's serial (field `serial`), which the lines of one event share.
/// - A leading `node=NAME` (a forwarded or aggregated log) is the host; the record type is the
///   component and the field `type`.
/// - Every `name=value` pair is a field, those inside the user-space `msg='…'` too; values may
///   be double-quoted. The enriched format's translated names after a group separator
///   (`UID="root"`) are fields as well.
/// - The message is the line from `type=` on, so the record type is part of its template.
/// - The level is warning for a failed or denied action (`res=failed`, `res=0`, `success=no`,
///   an AVC `denied`), info otherwise.
public struct AuditLogFormat: LineFormat {
  /// `auditd`.
  public let name = "auditd"

  /// Audit records never continue on the next line.
  public var joinsContinuationLines: Bool { false }

  /// Creates the format.
  public init() {}

  /// Parses one audit record line.
  public func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord, _ context: ParseContext
  ) -> Bool {
    var cursor = ByteCursor(bytes, record.span)
    var host: ByteSpan?
    if cursor.consume("node=") {
      host = cursor.readToken()
      cursor.skipSpaces()
    }
    let messageStart = cursor.position
    guard cursor.consume("type=") else { return false }
    let type = cursor.readToken()
    cursor.skipSpaces()
    guard !type.isEmpty, cursor.consume("msg=audit("),
      let stamp = cursor.read(until: 0x29), let (time, serial) = Self.stamp(bytes, stamp, context)
    else { return false }
    cursor.skipSpaces()
    guard cursor.consume(0x3A) else { return false }
    var fields = [
      RecordField("type", TextRef(type)), RecordField("serial", TextRef(serial)),
    ]
    var failed = false
    Self.readPairs(&cursor, into: &fields, failed: &failed)
    record.timestamp = time
    record.host = host.map { TextRef($0) }
    record.component = TextRef(type)
    record.message = TextRef(ByteSpan(messageStart, record.span.end))
    record.level = failed ? .warning : .info
    record.fields = fields
    return true
  }

  /// The instant and the serial in `audit(…)`'s contents: `SECONDS.MILLIS:SERIAL`, or a
  /// textual time before the serial.
  static func stamp(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, _ context: ParseContext)
    -> (Double, ByteSpan)?
  {
    var colon = span.end - 1
    while colon > span.start, bytes[colon] != 0x3A { colon -= 1 }
    guard colon > span.start else { return nil }
    let serial = ByteSpan(colon + 1, span.end)
    let time = ByteSpan(span.start, colon)
    guard ByteClass.integer(bytes, serial) != nil else { return nil }
    if let seconds = ByteClass.number(bytes, time), seconds > 0 { return (seconds, serial) }
    guard let parsed = context.timestamps.parse(bytes, time) else { return nil }
    return (parsed, serial)
  }

  /// Reads `name=value` pairs to the end of the line, descending into a quoted `msg='…'`, and
  /// notes whether one says the action failed or was denied.
  static func readPairs(
    _ cursor: inout ByteCursor, into fields: inout [RecordField], failed: inout Bool
  ) {
    let bytes = cursor.bytes
    while !cursor.atEnd {
      guard let byte = cursor.peek else { break }
      if isSeparator(byte) || byte == 0x27 {
        cursor.position += 1
        continue
      }
      let keyStart = cursor.position
      while let next = cursor.peek, next != 0x3D, !isSeparator(next) { cursor.position += 1 }
      let key = ByteSpan(keyStart, cursor.position)
      guard cursor.consume(0x3D), !key.isEmpty else {
        // A bare word (an AVC's `denied`, `{ read }`).
        if isWord(bytes, key, "denied") { failed = true }
        continue
      }
      if cursor.peek == 0x27 {
        // `msg='…'`: the pairs inside are the record's own.
        cursor.position += 1
        continue
      }
      let value: TextRef
      if cursor.peek == 0x22, let quoted = cursor.readQuoted() {
        value = TextRef(quoted)
      } else {
        let start = cursor.position
        while let next = cursor.peek, !isSeparator(next), next != 0x27 { cursor.position += 1 }
        value = TextRef(ByteSpan(start, cursor.position))
      }
      let name = String(
        decoding: UnsafeBufferPointer(rebasing: bytes[key.start..<key.end]), as: UTF8.self)
      if (name == "res" && (isWord(bytes, value.span, "failed") || isWord(bytes, value.span, "0")))
        || (name == "success" && isWord(bytes, value.span, "no"))
      {
        failed = true
      }
      fields.append(RecordField(name, value))
    }
  }

  /// A space, a tab, or the enriched format's group separator.
  static func isSeparator(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x1D }

  private static func isWord(
    _ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, _ word: StaticString
  )
    -> Bool
  {
    var cursor = ByteCursor(bytes, span)
    return cursor.consume(word) && cursor.atEnd
  }
}
