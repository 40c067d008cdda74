/// Decoding of JSON string bodies (backslash escapes).
public enum JSONText {
  /// Decodes the JSON string body at `span` to a `String`.
  public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> String {
    let body = UnsafeBufferPointer(rebasing: bytes[span.start..<span.end])
    if !body.contains(0x5C) { return String(decoding: body, as: UTF8.self) }
    return String(decoding: unescape(Array(body), ByteSpan(0, body.count)), as: UTF8.self)
  }

  /// Undoes JSON escapes (`\n`, `\"`, `\uXXXX` with surrogate pairs) in `span` of `bytes`.
  /// Malformed escapes are kept as written.
  public static func unescape(_ bytes: [UInt8], _ span: ByteSpan) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(span.count)
    var index = span.start
    while index < span.end {
      let byte = bytes[index]
      guard byte == 0x5C, index + 1 < span.end else {
        output.append(byte)
        index += 1
        continue
      }
      let escaped = bytes[index + 1]
      index += 2
      switch escaped {
      case 0x6E: output.append(0x0A)
      case 0x74: output.append(0x09)
      case 0x72: output.append(0x0D)
      case 0x62: output.append(0x08)
      case 0x66: output.append(0x0C)
      case 0x75:
        guard var scalar = hex4(bytes, index, span.end) else {
          output.append(contentsOf: [0x5C, 0x75])
          continue
        }
        index += 4
        if (0xD800..<0xDC00).contains(scalar), index + 6 <= span.end, bytes[index] == 0x5C,
          bytes[index + 1] == 0x75, let low = hex4(bytes, index + 2, span.end),
          (0xDC00..<0xE000).contains(low)
        {
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          index += 6
        }
        let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
        output.append(contentsOf: Array(String(unicode).utf8))
      default: output.append(escaped)
      }
    }
    return output
  }

  private static func hex4(_ bytes: [UInt8], _ start: Int, _ end: Int) -> UInt32? {
    guard start + 4 <= end else { return nil }
    var value: UInt32 = 0
    for index in start..<start + 4 {
      let byte = bytes[index]
      let digit: UInt8
      switch byte {
      case 0x30...0x39: digit = byte - 0x30
      case 0x41...0x46: digit = byte - 0x37
      case 0x61...0x66: digit = byte - 0x57
      default: return nil
      }
      value = value << 4 | UInt32(digit)
    }
    return value
  }
}

/// Decoding of double-quoted CSV field bodies.
public enum CSVText {
  /// Replaces each `""` in `span` of `bytes` by `"`.
  public static func unquote(_ bytes: [UInt8], _ span: ByteSpan) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(span.count)
    var index = span.start
    while index < span.end {
      let byte = bytes[index]
      output.append(byte)
      index += byte == 0x22 && index + 1 < span.end && bytes[index + 1] == 0x22 ? 2 : 1
    }
    return output
  }
}
