/// Turns one whitespace-separated token into its masked form, with byte-class scanners (no
/// regular expressions): the variable parts become `<*>`, the constant parts stay.
///
/// Rules, in order (a token's surrounding brackets, quotes and punctuation are kept around
/// its core):
/// 1. empty brackets `()`, `[]`, `{}` hold a variable: `(<*>)`;
/// 2. month and weekday names, `true`, `false`, IPv4 addresses (with `/` and `:port`) → `<*>`;
/// 3. a comma-separated list of `key=value` pairs is masked pair by pair;
/// 4. whole variables → `<*>`: paths (`/…`), URLs, UUIDs, `0x…` and long hex, MAC addresses,
///    numbers with separators and a short unit (`12`, `-3.5`, `08:00:00`, `250ms`), dotted
///    identifiers of three or more segments (`com.example.Foo`, `host.example.org`);
/// 5. `key=value`: the value is a variable when it holds a digit, `.`, `/`, `:`, a quote or a
///    backslash, is long hex, a boolean or a whole variable; a plain word stays a constant;
/// 6. otherwise every alphanumeric run holding a digit (with a leading `-`) becomes `<*>`
///    (`core.42` → `core.<*>`, `blk_-123` → `blk_<*>`), except a lone word-and-digit name such
///    as `eth0` or `jk2_init()`; when that leaves two or more variables, or a host name or path
///    shape, the whole core is one `<*>`;
/// 7. an identifier prefix on a variable is dropped: `blk_<*>` → `<*>`.
///
/// The rules were chosen for grouping accuracy over many systems with one configuration;
/// none names a particular system.
public enum TokenMasker {
  static let wildcard: [UInt8] = Array("<*>".utf8)

  /// Appends the masked form of `token` to `output`.
  /// - Parameters:
  ///   - bytes: the buffer holding the token.
  ///   - token: the token (no whitespace inside).
  ///   - output: where the masked bytes go.
  public static func mask(
    _ bytes: UnsafeBufferPointer<UInt8>, _ token: ByteSpan, into output: inout [UInt8]
  ) {
    var core = token
    while core.start < core.end, isWrapper(bytes[core.start]) { core.start += 1 }
    while core.end > core.start, isWrapper(bytes[core.end - 1]) || bytes[core.end - 1] == 0x2E {
      core.end -= 1
    }
    if core.isEmpty {
      if token.count == 2, let close = closing(bytes[token.start]), bytes[token.start + 1] == close
      {
        output.append(bytes[token.start])
        output.append(contentsOf: wildcard)
        output.append(close)
      } else {
        append(bytes, token, to: &output)
      }
      return
    }
    append(bytes, ByteSpan(token.start, core.start), to: &output)
    maskCore(bytes, core, into: &output)
    append(bytes, ByteSpan(core.end, token.end), to: &output)
  }

  /// What one scan of a core tells about it, so that most rules are skipped without reading
  /// the core again.
  private struct Shape {
    var digits = 0
    var letters = 0
    var nonHexLetters = 0
    var dots = 0
    var others = 0
    var hasEquals = false
    var hasComma = false
    var hasSlash = false
    var hasColon = false

    init(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) {
      for index in span.start..<span.end {
        let byte = bytes[index]
        if ByteClass.isDigit(byte) {
          digits += 1
        } else if ByteClass.isLetter(byte) {
          letters += 1
          if (byte | 0x20) > 0x66 { nonHexLetters += 1 }
        } else {
          switch byte {
          case 0x2E: dots += 1
          case 0x3D: hasEquals = true
          case 0x2C: hasComma = true
          case 0x2F: hasSlash = true
          case 0x3A: hasColon = true
          default: others += 1
          }
        }
      }
    }
  }

  private static func maskCore(
    _ bytes: UnsafeBufferPointer<UInt8>, _ core: ByteSpan, into output: inout [UInt8]
  ) {
    let shape = Shape(bytes, core)
    // Most tokens are plain words: without a digit or one of `= . / :` only the named words
    // can be variables.
    if shape.digits == 0 && !shape.hasEquals && shape.dots == 0 && !shape.hasSlash
      && !shape.hasColon
    {
      if shape.letters == core.count && isNamedVariableWord(bytes, core) {
        output.append(contentsOf: wildcard)
      } else {
        append(bytes, core, to: &output)
      }
      return
    }
    if shape.digits == 0 && !shape.hasEquals && !shape.hasSlash && !shape.hasColon {
      // Only dots: a dotted identifier, or a word followed by dots.
      if shape.dots >= 2 && isDottedIdentifier(bytes, core) {
        output.append(contentsOf: wildcard)
      } else {
        append(bytes, core, to: &output)
      }
      return
    }
    if shape.digits == 0 && isNamedVariableWord(bytes, core) {
      output.append(contentsOf: wildcard)
      return
    }
    if shape.letters == 0 && !shape.hasEquals && !shape.hasComma && shape.others <= 2
      && (isNumber(bytes, core) || (shape.dots == 3 && isIPv4(bytes, core)))
    {
      output.append(contentsOf: wildcard)
      return
    }
    if shape.dots == 3 && isIPv4(bytes, core) {
      output.append(contentsOf: wildcard)
      return
    }
    if shape.hasComma && shape.hasEquals {
      // A list of key=value pairs: mask each part.
      var start = core.start
      for index in core.start...core.end where index == core.end || bytes[index] == 0x2C {
        if index > start { mask(bytes, ByteSpan(start, index), into: &output) }
        if index < core.end { output.append(0x2C) }
        start = index + 1
      }
      return
    }
    // Whole variables have a recognisable shape: check only tokens that could have one.
    let first = bytes[core.start]
    let couldBeWhole =
      first == 0x2F || (shape.hasColon && shape.hasSlash) || shape.letters <= 3
      || core.count == 36 || core.count == 17
      || (core.count > 2 && first == 0x30 && bytes[core.start + 1] | 0x20 == 0x78)
      || (shape.nonHexLetters == 0 && shape.digits > 0 && core.count >= 8)
    if (couldBeWhole && isWholeVariable(bytes, core))
      || (shape.dots >= 2 && isDottedIdentifier(bytes, core))
    {
      output.append(contentsOf: wildcard)
      return
    }
    if shape.hasEquals, let equals = keyEnd(bytes, core) {
      append(bytes, ByteSpan(core.start, equals + 1), to: &output)
      let value = ByteSpan(equals + 1, core.end)
      if isVariableValue(bytes, value) {
        output.append(contentsOf: wildcard)
      } else {
        append(bytes, value, to: &output)
      }
      return
    }
    maskDigitRuns(bytes, core, into: &output)
  }

  /// Rule 6 and 7: digit-holding alphanumeric runs become `<*>`.
  private static func maskDigitRuns(
    _ bytes: UnsafeBufferPointer<UInt8>, _ core: ByteSpan, into output: inout [UInt8]
  ) {
    // Count the runs holding a digit, and spot the lone `eth0` case.
    var digitRuns = 0
    var loneNameRun = false
    var index = core.start
    while index < core.end {
      guard isAlphanumeric(bytes[index]) else {
        index += 1
        continue
      }
      let start = index
      var digits = 0
      while index < core.end, isAlphanumeric(bytes[index]) {
        if ByteClass.isDigit(bytes[index]) { digits += 1 }
        index += 1
      }
      if digits > 0 {
        digitRuns += 1
        loneNameRun = digits == 1 && index - start >= 3 && ByteClass.isDigit(bytes[index - 1])
      }
    }
    if digitRuns == 0 || (digitRuns == 1 && loneNameRun) {
      append(bytes, core, to: &output)
      return
    }
    let outputStart = output.count
    index = core.start
    var variables = 0
    while index < core.end {
      let byte = bytes[index]
      let signed =
        byte == 0x2D && index + 1 < core.end && isAlphanumeric(bytes[index + 1])
        && (index == core.start || !isAlphanumeric(bytes[index - 1]))
      guard isAlphanumeric(byte) || signed else {
        output.append(byte)
        index += 1
        continue
      }
      let start = index
      if signed { index += 1 }
      var hasDigit = false
      while index < core.end, isAlphanumeric(bytes[index]) {
        if ByteClass.isDigit(bytes[index]) { hasDigit = true }
        index += 1
      }
      if hasDigit {
        output.append(contentsOf: wildcard)
        variables += 1
      } else {
        append(bytes, ByteSpan(start, index), to: &output)
      }
    }
    if variables >= 2 || looksLikeHostOrPath(output, from: outputStart) {
      output.removeLast(output.count - outputStart)
      output.append(contentsOf: wildcard)
      return
    }
    dropIdentifierPrefix(&output, from: outputStart)
  }

  /// `blk_<*>…` → `<*>…`: a letters-and-underscore prefix before the first variable.
  private static func dropIdentifierPrefix(_ output: inout [UInt8], from start: Int) {
    var index = start
    while index < output.count, ByteClass.isLetter(output[index]) { index += 1 }
    guard index > start, index + 4 <= output.count, output[index] == 0x5F,
      output[index + 1] == 0x3C,
      output[index + 2] == 0x2A, output[index + 3] == 0x3E
    else { return }
    output.removeSubrange(start...index)
  }

  /// A host name or path shape in masked bytes: `a.b.c` with variables allowed, or a `/`.
  private static func looksLikeHostOrPath(_ output: [UInt8], from start: Int) -> Bool {
    var dots: [Int] = []
    for index in start..<output.count {
      if output[index] == 0x2F { return true }
      if output[index] == 0x2E { dots.append(index) }
    }
    guard dots.count >= 2 else { return false }
    func partOfName(_ byte: UInt8) -> Bool {
      isAlphanumeric(byte) || byte == 0x3C || byte == 0x2A || byte == 0x3E
    }
    for pair in 0..<(dots.count - 1) {
      let first = dots[pair]
      let second = dots[pair + 1]
      guard first > start, second + 1 < output.count, second - first >= 2 else { continue }
      if partOfName(output[first - 1]) && partOfName(output[second + 1])
        && (first + 1..<second).allSatisfy({ partOfName(output[$0]) })
      {
        return true
      }
    }
    return false
  }

  // MARK: - Predicates

  @inline(__always)
  static func isAlphanumeric(_ byte: UInt8) -> Bool {
    ByteClass.isLetter(byte) || ByteClass.isDigit(byte)
  }

  /// `(`, `)`, `[`, `]`, `{`, `}`, `,`, `;`, `:`, `'`, `"`, `<`, `>`.
  @inlinable
  public static func isWrapper(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D, 0x2C, 0x3B, 0x3A, 0x27, 0x22, 0x3C, 0x3E: true
    default: false
    }
  }

  private static func closing(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x28: 0x29
    case 0x5B: 0x5D
    case 0x7B: 0x7D
    default: nil
    }
  }

  @inline(__always)
  private static func append(
    _ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, to output: inout [UInt8]
  ) {
    guard !span.isEmpty else { return }
    if span.count <= 16 {
      for index in span.start..<span.end { output.append(bytes[index]) }
    } else {
      output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[span.start..<span.end]))
    }
  }

  private static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, _ byte: UInt8)
    -> Bool
  {
    for index in span.start..<span.end where bytes[index] == byte { return true }
    return false
  }

  /// Whether a short token without digits or `= . / :` is a named variable word (`Jul`,
  /// `true`) once its brackets and punctuation are stripped.
  static func isNamedVariableToken(_ bytes: UnsafeBufferPointer<UInt8>, _ token: ByteSpan) -> Bool {
    var core = token
    while core.start < core.end, isWrapper(bytes[core.start]) { core.start += 1 }
    while core.end > core.start, isWrapper(bytes[core.end - 1]) || bytes[core.end - 1] == 0x2E {
      core.end -= 1
    }
    return isNamedVariableWord(bytes, core)
  }

  private static let namedWords: Set<UInt64> = Set(
    [
      "mon", "tue", "wed", "thu", "fri", "sat", "sun", "jan", "feb", "mar", "apr", "may", "jun",
      "jul",
      "aug", "sep", "oct", "nov", "dec", "true", "false",
    ].map { word in
      word.utf8.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    })

  /// Month and weekday abbreviations, `true` and `false`, in any case.
  private static func isNamedVariableWord(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan)
    -> Bool
  {
    guard span.count >= 3, span.count <= 5 else { return false }
    var packed: UInt64 = 0
    for index in span.start..<span.end {
      let byte = bytes[index]
      guard ByteClass.isLetter(byte) else { return false }
      packed = packed << 8 | UInt64(byte | 0x20)
    }
    return namedWords.contains(packed)
  }

  /// `1.2.3.4`, `/1.2.3.4`, `1.2.3.4:80`.
  private static func isIPv4(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Bool {
    var index = span.start
    if index < span.end, bytes[index] == 0x2F { index += 1 }
    for group in 0..<4 {
      let start = index
      while index < span.end, ByteClass.isDigit(bytes[index]), index - start < 3 { index += 1 }
      guard index > start else { return false }
      if group < 3 {
        guard index < span.end, bytes[index] == 0x2E else { return false }
        index += 1
      }
    }
    if index < span.end, bytes[index] == 0x3A {
      index += 1
      let start = index
      while index < span.end, ByteClass.isDigit(bytes[index]) { index += 1 }
      guard index > start else { return false }
    }
    return index == span.end
  }

  /// Paths, URLs, UUIDs, hex, MAC addresses and numbers with an optional short unit.
  static func isWholeVariable(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Bool {
    guard !span.isEmpty else { return false }
    let count = span.count
    let first = bytes[span.start]
    if first == 0x2F && count > 1 { return true }
    var hexOnly = true
    var digits = 0
    for index in span.start..<span.end {
      let byte = bytes[index]
      if ByteClass.isDigit(byte) {
        digits += 1
      } else if ByteClass.isLetter(byte) {
        if (byte | 0x20) > 0x66 { hexOnly = false }
      } else {
        hexOnly = false
        if byte == 0x3A && index + 2 < span.end && bytes[index + 1] == 0x2F
          && bytes[index + 2] == 0x2F
        {
          return true
        }
      }
    }
    // 0x1f, long hex with a digit.
    if count > 2, first == 0x30, bytes[span.start + 1] | 0x20 == 0x78 { return true }
    if hexOnly && digits > 0 && count >= 8 { return true }
    // UUID 8-4-4-4-12 and MAC aa:bb:cc:dd:ee:ff.
    if count == 36 || count == 17 {
      var shapeMatches = true
      for offset in 0..<count {
        let byte = bytes[span.start + offset]
        let separator =
          count == 36
          ? (offset == 8 || offset == 13 || offset == 18 || offset == 23) : offset % 3 == 2
        if separator {
          shapeMatches = byte == 0x2D || (count == 17 && byte == 0x3A)
        } else {
          shapeMatches = ByteClass.isDigit(byte) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x66)
        }
        if !shapeMatches { break }
      }
      if shapeMatches { return true }
    }
    return isNumber(bytes, span)
  }

  /// `[+-]digits([.,:]digits)*` with up to three trailing letters or `%`.
  static func isNumber(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Bool {
    guard !span.isEmpty else { return false }
    var index = span.start
    if bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
    var sawDigit = false
    while index < span.end {
      let byte = bytes[index]
      if ByteClass.isDigit(byte) {
        sawDigit = true
        index += 1
      } else if byte == 0x2E || byte == 0x2C || byte == 0x3A, sawDigit, index + 1 < span.end,
        ByteClass.isDigit(bytes[index + 1])
      {
        index += 1
      } else {
        break
      }
    }
    guard sawDigit else { return false }
    let unit = span.end - index
    guard unit <= 3 else { return false }
    while index < span.end, ByteClass.isLetter(bytes[index]) || bytes[index] == 0x25 { index += 1 }
    return index == span.end
  }

  /// `a.b.c`: three or more segments of `[A-Za-z0-9_$-]` joined by single dots.
  private static func isDottedIdentifier(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan)
    -> Bool
  {
    var segments = 1
    var segmentLength = 0
    for index in span.start..<span.end {
      let byte = bytes[index]
      if byte == 0x2E {
        guard segmentLength > 0 else { return false }
        segments += 1
        segmentLength = 0
      } else if isAlphanumeric(byte) || byte == 0x5F || byte == 0x24 || byte == 0x2D {
        segmentLength += 1
      } else {
        return false
      }
    }
    return segments >= 3 && segmentLength > 0
  }

  /// The offset of the `=` of a `key=value` core, when the key is an identifier.
  private static func keyEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Int? {
    let first = bytes[span.start]
    guard ByteClass.isLetter(first) || first == 0x5F else { return nil }
    var index = span.start + 1
    while index < span.end {
      let byte = bytes[index]
      if byte == 0x3D { return index }
      guard isAlphanumeric(byte) || byte == 0x5F || byte == 0x2E || byte == 0x2D else { return nil }
      index += 1
    }
    return nil
  }

  /// Rule 5: whether a `key=value` value is a variable.
  private static func isVariableValue(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Bool
  {
    guard !span.isEmpty else { return false }
    var hexLetters = true
    for index in span.start..<span.end {
      let byte = bytes[index]
      switch byte {
      case 0x30...0x39, 0x2E, 0x2F, 0x3A, 0x22, 0x27, 0x5C: return true
      default:
        if !((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x66) { hexLetters = false }
      }
    }
    if hexLetters && span.count >= 6 { return true }
    return isNamedVariableWord(bytes, span) || isWholeVariable(bytes, span)
  }
}
