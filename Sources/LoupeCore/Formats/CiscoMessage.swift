/// Cisco's message codes, as routers, switches and firewalls (IOS, NX-OS, ASA, Firepower) send
/// them to syslog: `%FACILITY-SEVERITY-MNEMONIC: text`, as the program (`fw01 %ASA-4-106023:
/// Deny tcp src …`) or at the start of the message after a sequence number and the device's
/// own time (`router1 123: *Jan 15 08:00:00.123: %LINK-3-UPDOWN: Interface Gi0/1, changed
/// state to down`).
///
/// The severity digit is the level (0 emergency … 7 debugging, as syslog's), the facility the
/// component (`ASA`, `LINK`, `SEC`), the mnemonic the `mnemonic` field (`106023`, `UPDOWN`),
/// and the message the text after the code, so that templates group by what happened.
enum CiscoMessage {
  /// Reads the code at the program or at the start of `record`'s message, when there is one.
  /// - Returns: whether there was.
  @discardableResult
  static func apply(
    _ bytes: UnsafeBufferPointer<UInt8>, program: ByteSpan?, to record: inout LogRecord
  ) -> Bool {
    if let program, let code = parse(bytes, ByteSpan(program.start, program.end)) {
      fill(code, bytes, into: &record)
      return true
    }
    // `*Jan 15 08:00:00.123: %LINK-…` or `%LINK-…` at the message's start.
    let message = record.message.span
    let window = ByteSpan(message.start, min(message.end, message.start + 48))
    guard let percent = (window.start..<window.end).first(where: { bytes[$0] == 0x25 }),
      percent == message.start || bytes[percent - 1] == 0x20,
      let colon = (percent..<message.end).first(where: { bytes[$0] == 0x3A || bytes[$0] == 0x20 }),
      bytes[colon] == 0x3A, let code = parse(bytes, ByteSpan(percent, colon))
    else { return false }
    fill(code, bytes, into: &record)
    var cursor = ByteCursor(bytes, ByteSpan(colon + 1, message.end))
    cursor.skipSpaces()
    record.message = TextRef(cursor.rest)
    return true
  }

  /// The parts of a code.
  struct Code {
    var facility: ByteSpan
    var severity: Int
    var mnemonic: ByteSpan
  }

  /// `%FACILITY-SEVERITY-MNEMONIC` in `span` (the `%` included), or `nil`.
  static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Code? {
    guard span.count >= 6, bytes[span.start] == 0x25 else { return nil }
    let body = ByteSpan(span.start + 1, span.end)
    guard
      (body.start..<body.end).allSatisfy({
        let byte = bytes[$0]
        return (byte &- 0x41) < 26 || ByteClass.isDigit(byte) || byte == 0x5F || byte == 0x2D
      })
    else { return nil }
    // The severity: the first one-digit part between two others.
    var partStart = body.start
    var index = body.start
    while index < body.end {
      if bytes[index] == 0x2D {
        let partEnd = index
        if partStart > body.start, partEnd - partStart == 1, bytes[partStart] &- 0x30 < 8,
          partEnd + 1 < body.end
        {
          return Code(
            facility: ByteSpan(body.start, partStart - 1), severity: Int(bytes[partStart] &- 0x30),
            mnemonic: ByteSpan(partEnd + 1, body.end))
        }
        partStart = index + 1
      }
      index += 1
    }
    return nil
  }

  private static func fill(
    _ code: Code, _ bytes: UnsafeBufferPointer<UInt8>, into record: inout LogRecord
  ) {
    record.level = LogLevel.syslog(severity: code.severity)
    record.component = TextRef(code.facility)
    record.fields.append(RecordField("mnemonic", TextRef(code.mnemonic)))
  }
}
