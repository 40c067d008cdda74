/// logfmt lines: `time=2024-01-15T08:00:00Z level=info msg="user logged in" user=42`.
///
/// Every pair becomes a field; the names that JSON lines recognise (see ``JSONLinesFormat``)
/// fill the timestamp, level, message, component, host and pid. A line must start with a pair
/// and hold at least two.
public struct LogfmtFormat: LineFormat {
  /// `logfmt`.
  public let name = "logfmt"

  /// logfmt lines never continue on the next line.
  public var joinsContinuationLines: Bool { false }

  /// Creates the format.
  public init() {}

  /// Parses one logfmt line.
  public func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord, _ context: ParseContext
  ) -> Bool {
    var cursor = ByteCursor(bytes, record.span)
    var fields: [RecordField] = []
    fields.reserveCapacity(8)
    cursor.skipSpaces()
    while !cursor.atEnd {
      let keyStart = cursor.position
      while let byte = cursor.peek, Self.isKeyByte(byte) { cursor.position += 1 }
      let key = ByteSpan(keyStart, cursor.position)
      guard !key.isEmpty else { return false }
      let name = String(
        decoding: UnsafeBufferPointer(rebasing: bytes[key.start..<key.end]), as: UTF8.self)
      if cursor.consume(0x3D) {
        if cursor.peek == 0x22 {
          guard let value = cursor.readQuoted() else { return false }
          fields.append(RecordField(name, TextRef(value, .jsonEscaped)))
        } else {
          fields.append(RecordField(name, TextRef(cursor.readToken())))
        }
      } else {
        // A bare key: allowed after the first pair (a boolean flag in logfmt).
        guard !fields.isEmpty, cursor.atEnd || cursor.peek == 0x20 || cursor.peek == 0x09 else {
          return false
        }
      }
      guard cursor.atEnd || cursor.peek == 0x20 || cursor.peek == 0x09 else { return false }
      cursor.skipSpaces()
    }
    guard fields.count >= 2 else { return false }
    var slots = JSONLinesFormat.RoleSlots()
    for (index, field) in fields.enumerated() {
      slots.note(JSONLinesFormat.role(of: field.name), index)
    }
    JSONLinesFormat.apply(fields, slots, bytes, context, to: &record)
    record.fields = fields
    return true
  }

  private static func isKeyByte(_ byte: UInt8) -> Bool {
    ByteClass.isLetter(byte) || ByteClass.isDigit(byte) || byte == 0x5F || byte == 0x2E
      || byte == 0x2D || byte == 0x40 || byte == 0x2F
  }
}
