/// A read position in a line's bytes, with the small scanning steps that every parser needs.
///
/// Works on absolute offsets into the source buffer so that the spans it returns can be
/// stored in records directly.
public struct ByteCursor {
  /// The whole source buffer.
  public let bytes: UnsafeBufferPointer<UInt8>
  /// The current offset.
  public var position: Int
  /// The offset one past the line's last byte.
  public let end: Int

  /// Creates a cursor at the start of `span`.
  @inlinable
  public init(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) {
    self.bytes = bytes
    self.position = span.start
    self.end = span.end
  }

  /// Whether the cursor has reached the end of the line.
  @inlinable
  public var atEnd: Bool { position >= end }

  /// The byte at the cursor, or `nil` at the end.
  @inlinable
  public var peek: UInt8? { position < end ? bytes[position] : nil }

  /// The byte `offset` positions ahead, or `nil` past the end.
  @inlinable
  public func peek(at offset: Int) -> UInt8? {
    position + offset < end ? bytes[position + offset] : nil
  }

  /// The rest of the line.
  @inlinable
  public var rest: ByteSpan { ByteSpan(position, end) }

  /// Skips spaces and tabs.
  @inlinable
  public mutating func skipSpaces() {
    while position < end, bytes[position] == 0x20 || bytes[position] == 0x09 { position += 1 }
  }

  /// Consumes `byte` if it is next.
  /// - Returns: whether it was there.
  @inlinable
  @discardableResult
  public mutating func consume(_ byte: UInt8) -> Bool {
    guard position < end, bytes[position] == byte else { return false }
    position += 1
    return true
  }

  /// Consumes the ASCII `literal` if it is next.
  /// - Returns: whether it was there.
  @inlinable
  public mutating func consume(_ literal: StaticString) -> Bool {
    let count = literal.utf8CodeUnitCount
    guard end - position >= count else { return false }
    let pointer = literal.utf8Start
    for index in 0..<count where bytes[position + index] != pointer[index] { return false }
    position += count
    return true
  }

  /// Reads up to (not including) the next `byte`, and consumes that byte.
  /// - Returns: the span before it, or `nil` (and no move) if the byte does not occur.
  @inlinable
  public mutating func read(until byte: UInt8) -> ByteSpan? {
    var index = position
    while index < end {
      if bytes[index] == byte {
        let span = ByteSpan(position, index)
        position = index + 1
        return span
      }
      index += 1
    }
    return nil
  }

  /// Reads a run of bytes that are not a space or tab.
  /// - Returns: the token's span (empty at the end of the line).
  @inlinable
  public mutating func readToken() -> ByteSpan {
    let start = position
    while position < end, bytes[position] != 0x20 && bytes[position] != 0x09 { position += 1 }
    return ByteSpan(start, position)
  }

  /// Reads a run of ASCII digits as a number.
  /// - Returns: the value and the number of digits, or `nil` when no digit is next.
  @inlinable
  public mutating func readInteger() -> (value: Int, digits: Int)? {
    let start = position
    var value = 0
    while position < end, bytes[position] &- 0x30 < 10, position - start < 18 {
      value = value * 10 + Int(bytes[position] &- 0x30)
      position += 1
    }
    return position > start ? (value, position - start) : nil
  }

  /// Reads a double-quoted string whose body may contain `\"` escapes, and the closing quote.
  /// - Returns: the body's span, or `nil` (and no move) when the next byte is not a quote or
  ///   the string is not closed.
  @inlinable
  public mutating func readQuoted() -> ByteSpan? {
    guard position < end, bytes[position] == 0x22 else { return nil }
    var index = position + 1
    while index < end {
      let byte = bytes[index]
      if byte == 0x5C {
        index += 2
        continue
      }
      if byte == 0x22 {
        let span = ByteSpan(position + 1, index)
        position = index + 1
        return span
      }
      index += 1
    }
    return nil
  }
}

/// Byte-class helpers used by the scanners.
public enum ByteClass {
  /// Whether `byte` is an ASCII digit.
  @inlinable
  public static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

  /// Whether `byte` is an ASCII letter.
  @inlinable
  public static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }

  /// Whether `byte` is a space or a tab.
  @inlinable
  public static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

  /// Where `needle` first occurs in `span` of `bytes` (exact bytes), if it does.
  public static func firstIndex(
    of needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan
  ) -> Int? {
    guard let first = needle.first, span.count >= needle.count else { return nil }
    var index = span.start
    while index + needle.count <= span.end {
      if bytes[index] == first {
        var offset = 1
        while offset < needle.count, bytes[index + offset] == needle[offset] { offset += 1 }
        if offset == needle.count { return index }
      }
      index += 1
    }
    return nil
  }

  /// Parses a whole span of ASCII digits (optionally signed) as an integer.
  /// - Returns: the value, or `nil` when the span is not a plain integer.
  @inlinable
  public static func integer(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Int? {
    guard !span.isEmpty, span.count <= 18 else { return nil }
    var index = span.start
    var negative = false
    if bytes[index] == 0x2D || bytes[index] == 0x2B {
      negative = bytes[index] == 0x2D
      index += 1
      guard index < span.end else { return nil }
    }
    var value = 0
    while index < span.end {
      let digit = bytes[index] &- 0x30
      guard digit < 10 else { return nil }
      value = value * 10 + Int(digit)
      index += 1
    }
    return negative ? -value : value
  }

  /// Parses a whole span as a decimal number (`12`, `-3.5`, `1e3`, `0.25`), without making a
  /// `String`. Up to 19 significant digits are kept.
  /// - Returns: the value, or `nil` when the span is not a number.
  public static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Double? {
    guard !span.isEmpty, span.count <= 64 else { return nil }
    var index = span.start
    var negative = false
    if bytes[index] == 0x2D || bytes[index] == 0x2B {
      negative = bytes[index] == 0x2D
      index += 1
    }
    var mantissa: UInt64 = 0
    var significant = 0
    var exponent = 0
    var sawDigit = false
    while index < span.end, isDigit(bytes[index]) {
      if significant < 19 {
        mantissa = mantissa * 10 + UInt64(bytes[index] &- 0x30)
        if mantissa > 0 { significant += 1 }
      } else {
        exponent += 1
      }
      sawDigit = true
      index += 1
    }
    if index < span.end, bytes[index] == 0x2E {
      index += 1
      while index < span.end, isDigit(bytes[index]) {
        if significant < 19 {
          mantissa = mantissa * 10 + UInt64(bytes[index] &- 0x30)
          if mantissa > 0 { significant += 1 }
          exponent -= 1
        }
        sawDigit = true
        index += 1
      }
    }
    guard sawDigit else { return nil }
    if index < span.end, bytes[index] | 0x20 == 0x65 {
      index += 1
      var exponentNegative = false
      if index < span.end, bytes[index] == 0x2D || bytes[index] == 0x2B {
        exponentNegative = bytes[index] == 0x2D
        index += 1
      }
      var written = 0
      var digits = 0
      while index < span.end, isDigit(bytes[index]), digits < 4 {
        written = written * 10 + Int(bytes[index] &- 0x30)
        digits += 1
        index += 1
      }
      guard digits > 0 else { return nil }
      exponent += exponentNegative ? -written : written
    }
    guard index == span.end, exponent > -330, exponent < 310 else { return nil }
    var value = Double(mantissa)
    var remaining = exponent
    while remaining >= 22 {
      value *= 1e22
      remaining -= 22
    }
    while remaining <= -22 {
      value /= 1e22
      remaining += 22
    }
    value = remaining >= 0 ? value * powersOfTen[remaining] : value / powersOfTen[-remaining]
    guard value.isFinite else { return nil }
    return negative ? -value : value
  }

  private static let powersOfTen: [Double] = (0...22).map { power in
    (0..<power).reduce(1.0) { product, _ in product * 10 }
  }
}
