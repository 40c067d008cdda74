/// Decides, from a token's bytes alone, whether it is a variable (a number, an address, an
/// id) that a template should replace by `<*>`.
///
/// Byte-class scanners, no regular expressions: numbers (with sign, decimals, units such as
/// `ms`, `KB`, `%`), hex (`0x1f`, long hex runs), IPv4/IPv6 with optional port, UUIDs, MAC
/// addresses, times and dates, paths and URLs, and tokens with a run of three or more digits
/// (`blk_-1608999687919862906`, `user_78646`). `key=value` tokens keep the key.
public enum TokenMasker {
  /// Whether the token (already stripped of surrounding punctuation) is a variable.
  /// - Parameters:
  ///   - bytes: the buffer holding the token.
  ///   - span: the token.
  /// - Returns: `true` when the token should be masked.
  public static func isVariable(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Bool {
    guard !span.isEmpty else { return false }
    var digits = 0
    var letters = 0
    var hexLetters = 0
    var digitRun = 0
    var longestDigitRun = 0
    var colons = 0
    var dots = 0
    var dashes = 0
    var slashes = 0
    for index in span.start..<span.end {
      let byte = bytes[index]
      if ByteClass.isDigit(byte) {
        digits += 1
        digitRun += 1
        longestDigitRun = max(longestDigitRun, digitRun)
        continue
      }
      digitRun = 0
      if ByteClass.isLetter(byte) {
        letters += 1
        if (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x66 { hexLetters += 1 }
      } else if byte == 0x3A {
        colons += 1
      } else if byte == 0x2E {
        dots += 1
      } else if byte == 0x2D {
        dashes += 1
      } else if byte == 0x2F {
        slashes += 1
      }
    }
    let count = span.count
    let first = bytes[span.start]
    // Paths and URLs.
    if first == 0x2F && count > 1 { return true }
    if slashes >= 2 && colons >= 1 { return true }
    if digits == 0 { return false }
    // Pure numbers, possibly signed, decimal, with a short unit suffix.
    if letters <= 2 && digits + dots + dashes + colons + (first == 0x2B ? 1 : 0) + letters == count
      && (letters == 0 || isUnitSuffix(bytes, span, letters))
    {
      return true
    }
    // Hex: 0x… or a long run of hex digits.
    if count > 2, first == 0x30, bytes[span.start + 1] | 0x20 == 0x78 { return true }
    if hexLetters == letters && digits + letters + dashes + colons == count && count >= 8 {
      return true
    }
    // IPv4/IPv6 and MAC addresses, times and dates.
    if letters == hexLetters && (colons >= 2 || dots == 3) { return true }
    if longestDigitRun >= 3 { return true }
    // Short alphanumerics with at least half digits (`u0`, `t761` stay constant; `a1b2` not).
    return digits * 2 >= count && count >= 4
  }

  private static func isUnitSuffix(
    _ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, _ letters: Int
  )
    -> Bool
  {
    let start = span.end - letters
    guard start > span.start, ByteClass.isDigit(bytes[start - 1]) else { return false }
    for index in start..<span.end where !ByteClass.isLetter(bytes[index]) { return false }
    return true
  }

  /// Whether `byte` is punctuation that may surround a token (`(`, `)`, `[`, `]`, `{`, `}`,
  /// `,`, `;`, `:`, `'`, `"`, `<`, `>`).
  @inlinable
  public static func isWrapper(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D, 0x2C, 0x3B, 0x3A, 0x27, 0x22, 0x3C, 0x3E: true
    default: false
    }
  }
}
