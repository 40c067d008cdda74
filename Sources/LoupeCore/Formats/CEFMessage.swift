/// ArcSight Common Event Format, as firewalls, IDSs and SIEM forwarders write it, alone on a
/// line or inside a syslog line:
/// `CEF:0|Vendor|Product|Version|SignatureID|Name|Severity|src=10.0.0.5 dst=… act=deny`.
///
/// The header's parts become fields (`cef.vendor`, `cef.product`, `cef.device_version`,
/// `cef.signature`, `cef.name`, `cef.severity`), and so does each extension pair under its own
/// key (`src`, `dst`, `spt`, `act`, `suser`, `request`…; a value runs to the next ` key=`). The
/// severity gives the level: 0–3 (Low) info, 4–6 (Medium) warning, 7–8 (High) error, 9–10
/// (Very-High) critical; the product is the record's process and component. The message is
/// made of those fields (``FieldMessage/fillCEFMessages(_:)``), so that templates group events
/// by name and outcome; the reports show the line.
public enum CEFMessage {
  /// The `CEF:` marker.
  static let marker = Array("CEF:".utf8)

  /// Reads the CEF event at `start` (on `CEF:`) into `record`.
  /// - Returns: `false`, leaving `record` as it was, when the text is not a CEF event.
  static func apply(
    _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to record: inout LogRecord
  )
    -> Bool
  {
    let end = record.span.end
    guard end - start > marker.count,
      marker.indices.allSatisfy({ bytes[start + $0] == marker[$0] })
    else { return false }
    // Seven header parts, separated by unescaped pipes.
    var parts: [ByteSpan] = []
    var partStart = start + marker.count
    var index = partStart
    while index < end, parts.count < 7 {
      switch bytes[index] {
      case 0x5C: index += 2
      case 0x7C:
        parts.append(ByteSpan(partStart, index))
        index += 1
        partStart = index
      default: index += 1
      }
    }
    guard parts.count == 7, ByteClass.integer(bytes, parts[0]) != nil else { return false }
    let names = [
      "cef.version", "cef.vendor", "cef.product", "cef.device_version", "cef.signature",
      "cef.name", "cef.severity",
    ]
    var fields = record.fields
    for (name, span) in zip(names, parts) { fields.append(RecordField(name, TextRef(span))) }
    extensionPairs(bytes, ByteSpan(min(partStart, end), end), into: &fields)
    record.fields = fields
    if let level = level(bytes, parts[6]) { record.level = level }
    record.process = TextRef(parts[2])
    record.component = TextRef(parts[2])
    record.message = TextRef(ByteSpan(parts[5].start, end))
    return true
  }

  /// The level of a CEF severity: a number 0–10 or a word (`Low`, `Medium`, `High`,
  /// `Very-High`).
  static func level(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> LogLevel? {
    if let number = ByteClass.integer(bytes, span) {
      switch number {
      case 0...3: return .info
      case 4...6: return .warning
      case 7...8: return .error
      case 9...10: return .critical
      default: return nil
      }
    }
    switch String(
      decoding: UnsafeBufferPointer(rebasing: bytes[span.start..<span.end]), as: UTF8.self
    )
    .lowercased()
    {
    case "low": return .info
    case "medium": return .warning
    case "high": return .error
    case "very-high", "veryhigh": return .critical
    default: return nil
    }
  }

  /// The `key=value` pairs of an extension; a value runs to the space before the next key.
  static func extensionPairs(
    _ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, into fields: inout [RecordField]
  ) {
    var keyStart = span.start
    while keyStart < span.end, bytes[keyStart] == 0x20 { keyStart += 1 }
    while keyStart < span.end {
      guard let equals = keyEnd(bytes, keyStart, span.end) else { return }
      let valueStart = equals + 1
      // The value ends before ` key=`, or at the end.
      var valueEnd = span.end
      var next = span.end
      var index = valueStart
      while index < span.end {
        if bytes[index] == 0x5C {
          index += 2
          continue
        }
        if bytes[index] == 0x20, keyEnd(bytes, index + 1, span.end) != nil {
          valueEnd = index
          next = index + 1
          break
        }
        index += 1
      }
      let name = String(
        decoding: UnsafeBufferPointer(rebasing: bytes[keyStart..<equals]), as: UTF8.self)
      fields.append(RecordField(name, TextRef(ByteSpan(valueStart, min(valueEnd, span.end)))))
      keyStart = next
    }
  }

  /// When a key (letters, digits, `_`, `.`, `-`) followed by `=` starts at `start`, the index
  /// of the `=`.
  private static func keyEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int?
  {
    var index = start
    while index < end {
      let byte = bytes[index]
      if byte == 0x3D { return index > start ? index : nil }
      guard
        ByteClass.isLetter(byte) || ByteClass.isDigit(byte) || byte == 0x5F || byte == 0x2E
          || byte == 0x2D
      else { return nil }
      index += 1
    }
    return nil
  }
}

/// Lines that hold a CEF event (``CEFMessage``), alone or after a syslog header.
public struct CEFFormat: LineFormat {
  /// `cef`.
  public let name = "cef"
  private let syslog = SyslogFormat()

  /// Creates the format.
  public init() {}

  /// Parses a CEF line.
  public func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord, _ context: ParseContext
  ) -> Bool {
    var parsed = record
    if syslog.parse(bytes, &parsed, context) {
      // The syslog format reads a CEF event in its message itself.
      guard parsed.fields.contains(where: { $0.name == "cef.version" }) else { return false }
    } else {
      parsed = record
      guard CEFMessage.apply(bytes, from: record.span.start, to: &parsed) else { return false }
    }
    record = parsed
    return true
  }
}
