import Foundation

/// Finds secrets and personal data in text by byte scanning, with a cheap first-byte dispatch
/// so that most positions cost one table lookup (no regular expressions).
///
/// Kinds: `private_key` (`-----BEGIN … PRIVATE KEY-----`), `aws_access_key` (`AKIA`/`ASIA` +
/// 16 characters), `jwt` (`eyJ….eyJ….…`), `bearer_token` (`Bearer` + a token of 16+
/// characters), `basic_auth` (`Basic` + base64 of `user:password`), `url_password` (`scheme://user:password@host`), `password` (values of
/// `password=`, `passwd=`, `secret=`, `token=`, `api_key=`, `apikey=`, `access_token=`,
/// `client_secret=`, also with `:`), `api_key` (`sk_live_`, `sk_test_`, `ghp_`, `gho_`,
/// `github_pat_`, `xoxb-`, `xoxp-`, `AIza` prefixes), `email`, `card_number` (13–19 digits
/// of a length and prefix a card network issues, contiguous or in groups of four — or 4-6-5 —,
/// Luhn-checked, and not the value of an identifier-named key such as `flow_id`).
public enum SecretScanner {
  /// One secret found.
  public struct Match: Sendable, Hashable {
    /// The kind, as listed above.
    public var kind: String
    /// Where it is, as a byte range of the scanned text.
    public var range: Range<Int>
  }

  /// Whether a kind is personal data rather than a credential.
  public static func isPersonalData(_ kind: String) -> Bool {
    kind == "email" || kind == "card_number"
  }

  /// Key names whose values are credentials, in lower case; each ends in `d`, `t`, `n` or `y`
  /// (``isKeyName(_:)`` turns other keys away by their last byte).
  static let keyNames: [[UInt8]] = [
    "password", "passwd", "secret", "token", "api_key", "apikey", "access_token",
    "client_secret", "auth_token", "private_key",
  ].map { Array($0.utf8) }

  private static let apiKeyPrefixes: [[UInt8]] = [
    "sk_live_", "sk_test_", "ghp_", "gho_", "github_pat_", "xoxb-", "xoxp-", "AIza",
  ].map { Array($0.utf8) }

  /// Every secret in `bytes`.
  /// - Complexity: O(*n*) for text without candidates.
  public static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> [Match] {
    var matches: [Match] = []
    var index = 0
    let count = bytes.count
    while index < count {
      let byte = bytes[index]
      var found: Match?
      switch byte {
      case 0x2D where hasPrefix(bytes, index, "-----BEGIN"):
        found = privateKey(bytes, index)
      case 0x41 where hasPrefix(bytes, index, "AKIA") || hasPrefix(bytes, index, "AIza"):
        found = accessKey(bytes, index) ?? apiKey(bytes, index)
      case 0x41 where hasPrefix(bytes, index, "ASIA"):
        found = accessKey(bytes, index)
      case 0x65 where hasPrefix(bytes, index, "eyJ"):
        found = jwt(bytes, index)
      case 0x42, 0x62:
        found = bearer(bytes, index) ?? basicAuthorization(bytes, index)
      case 0x40:
        found = urlPassword(bytes, index) ?? email(bytes, index)
      case 0x3D, 0x3A:
        found = keyValue(bytes, index)
      case 0x30...0x39:
        found = cardNumber(bytes, index)
      case 0x73, 0x67, 0x78:
        found = apiKey(bytes, index)
      default:
        break
      }
      if let found, found.range.lowerBound >= (matches.last?.range.upperBound ?? 0) {
        matches.append(found)
        index = found.range.upperBound
      } else {
        index += 1
      }
    }
    return matches
  }

  /// `values` with every value that holds, or lies inside, a secret of `text` or one of
  /// `credentials` (the values of fields named for credentials) replaced by `[REDACTED:kind]`
  /// (for parameters cut from a message).
  public static func redact(_ values: [String], foundIn text: String, credentials: [String] = [])
    -> [String]
  {
    let bytes = Array(text.utf8)
    let secrets =
      bytes.withUnsafeBufferPointer { scan($0) }.map {
        (String(decoding: bytes[$0.range], as: UTF8.self), $0.kind)
      }
      + credentials.filter { $0.utf8.count >= 4 && !isPlaceholder(Array($0.utf8)) }.map {
        ($0, "password")
      }
    guard !secrets.isEmpty else { return values }
    return values.map { value in
      guard !value.isEmpty,
        let (_, kind) = secrets.first(where: { $0.0.contains(value) || value.contains($0.0) })
      else { return redact(value) }
      return "[REDACTED:\(kind)]"
    }
  }

  /// `text` with each secret replaced by `[REDACTED:kind]`.
  public static func redact(_ text: String) -> String {
    var bytes = Array(text.utf8)
    let matches = bytes.withUnsafeBufferPointer { scan($0) }
    guard !matches.isEmpty else { return text }
    for match in matches.reversed() {
      bytes.replaceSubrange(match.range, with: Array("[REDACTED:\(match.kind)]".utf8))
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  // MARK: - Kinds

  private static func privateKey(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Match? {
    // The whole block when its END line is in the text, else the rest of the text.
    guard let header = find(bytes, "PRIVATE KEY-----", from: start, within: 80) else { return nil }
    let end = find(bytes, "-----END", from: header, within: 16_384).flatMap {
      find(bytes, "-----", from: $0 + 8, within: 80)
    }
    return Match(kind: "private_key", range: start..<min(bytes.count, (end ?? bytes.count - 5) + 5))
  }

  private static func accessKey(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Match? {
    guard start + 20 <= bytes.count, !isWordByte(before: bytes, start) else { return nil }
    for index in start + 4..<start + 20
    where !(isUpper(bytes[index]) || ByteClass.isDigit(bytes[index])) {
      return nil
    }
    if start + 20 < bytes.count, isWordByte(bytes[start + 20]) { return nil }
    return Match(kind: "aws_access_key", range: start..<start + 20)
  }

  private static func jwt(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Match? {
    var index = start
    var dots = 0
    while index < bytes.count, isBase64URL(bytes[index]) || bytes[index] == 0x2E {
      if bytes[index] == 0x2E { dots += 1 }
      index += 1
    }
    guard dots == 2, index - start >= 30,
      hasPrefix(bytes, (start..<index).first { bytes[$0] == 0x2E }.map { $0 + 1 } ?? index, "eyJ")
    else { return nil }
    return Match(kind: "jwt", range: start..<index)
  }

  private static func bearer(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Match? {
    guard hasPrefixIgnoringCase(bytes, start, "bearer "), !isWordByte(before: bytes, start) else {
      return nil
    }
    let tokenStart = start + 7
    var index = tokenStart
    while index < bytes.count,
      isBase64URL(bytes[index]) || bytes[index] == 0x2E || bytes[index] == 0x2B
        || bytes[index] == 0x2F || bytes[index] == 0x3D
    {
      index += 1
    }
    guard index - tokenStart >= 16 else { return nil }
    return Match(kind: "bearer_token", range: tokenStart..<index)
  }

  /// HTTP Basic credentials: `Basic ` and base64 text that decodes to `user:password`.
  private static func basicAuthorization(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int)
    -> Match?
  {
    guard hasPrefixIgnoringCase(bytes, start, "basic "), !isWordByte(before: bytes, start) else {
      return nil
    }
    let tokenStart = start + 6
    var index = tokenStart
    while index < bytes.count,
      isBase64URL(bytes[index]) || bytes[index] == 0x2B
        || bytes[index] == 0x2F || bytes[index] == 0x3D
    {
      index += 1
    }
    guard index - tokenStart >= 8,
      let decoded = Data(base64Encoded: String(decoding: bytes[tokenStart..<index], as: UTF8.self)),
      let colon = decoded.firstIndex(of: 0x3A), colon > decoded.startIndex,
      decoded.allSatisfy({ $0 >= 0x20 && $0 < 0x7F })
    else { return nil }
    return Match(kind: "basic_auth", range: tokenStart..<index)
  }

  private static func email(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) -> Match? {
    var start = at
    while start > 0, isEmailLocal(bytes[start - 1]) { start -= 1 }
    guard start < at else { return nil }
    var end = at + 1
    var dots = 0
    var lastDot = -1
    while end < bytes.count,
      ByteClass.isLetter(bytes[end]) || ByteClass.isDigit(bytes[end]) || bytes[end] == 0x2D
        || bytes[end] == 0x2E
    {
      if bytes[end] == 0x2E {
        dots += 1
        lastDot = end
      }
      end += 1
    }
    while end > at + 1, bytes[end - 1] == 0x2E { end -= 1 }
    guard dots >= 1, lastDot < end - 2, lastDot > at + 1,
      (lastDot + 1..<end).allSatisfy({ ByteClass.isLetter(bytes[$0]) })
    else { return nil }
    // Not the password part of a URL (`user:pass@host`).
    if (start..<at).contains(where: { bytes[$0] == 0x3A }) { return nil }
    return Match(kind: "email", range: start..<end)
  }

  private static func urlPassword(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) -> Match? {
    // scheme://user:password@ — find `://` before, then the `:` of the password.
    var index = at - 1
    var colon: Int?
    while index > 2 {
      let byte = bytes[index]
      if byte == 0x2F && bytes[index - 1] == 0x2F && bytes[index - 2] == 0x3A {
        guard let colon, colon > index + 1, at > colon + 1 else { return nil }
        return Match(kind: "url_password", range: colon + 1..<at)
      }
      if byte == 0x20 || byte == 0x09 { return nil }
      if byte == 0x3A && colon == nil { colon = index }
      index -= 1
    }
    return nil
  }

  private static func keyValue(_ bytes: UnsafeBufferPointer<UInt8>, _ separator: Int) -> Match? {
    // The key: letters, digits and `_` ending right before the separator, or before a quote
    // that closes it (JSON's `"password":"…"`).
    var keyEnd = separator
    if keyEnd > 0, bytes[keyEnd - 1] == 0x22 || bytes[keyEnd - 1] == 0x27 { keyEnd -= 1 }
    var start = keyEnd
    while start > 0, isWordByte(bytes[start - 1]) || bytes[start - 1] == 0x2D { start -= 1 }
    guard isKeyName(UnsafeBufferPointer(rebasing: bytes[start..<keyEnd])) else { return nil }
    var valueStart = separator + 1
    while valueStart < bytes.count,
      bytes[valueStart] == 0x20 || bytes[valueStart] == 0x22 || bytes[valueStart] == 0x27
    {
      valueStart += 1
    }
    var end = valueStart
    while end < bytes.count, bytes[end] != 0x20, bytes[end] != 0x09, bytes[end] != 0x2C,
      bytes[end] != 0x3B,
      bytes[end] != 0x26, bytes[end] != 0x22, bytes[end] != 0x27, bytes[end] != 0x7D
    {
      end += 1
    }
    guard end - valueStart >= 4 else { return nil }
    // PAM names a service and a module type in parentheses: `pam_unix(passwd:chauthtok)`.
    if start > 0, bytes[start - 1] == 0x28, isPAMType(bytes, valueStart, end) { return nil }
    // A value of a kind of its own (`"token":"eyJ…"`) is named by that kind.
    if hasPrefix(bytes, valueStart, "eyJ"), let token = jwt(bytes, valueStart) { return token }
    if let key = apiKey(bytes, valueStart) { return key }
    let value = Array(bytes[valueStart..<end])
    if isPlaceholder(value) || isTypeName(value, before: bytes, end) { return nil }
    return Match(kind: "password", range: valueStart..<end)
  }

  /// PAM's module types, as they follow the service name in `pam_unix(SERVICE:TYPE)`.
  private static let pamTypes: [[UInt8]] = ["auth", "account", "session", "chauthtok", "password"]
    .map { Array($0.utf8) }

  /// Whether the value at `start` is a PAM module type closed by `)`.
  private static func isPAMType(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int)
    -> Bool
  {
    guard let close = (start..<end).first(where: { bytes[$0] == 0x29 }) else { return false }
    let value = UnsafeBufferPointer(rebasing: bytes[start..<close])
    return pamTypes.contains { $0.elementsEqual(value) }
  }

  /// Whether a key names a credential: it ends with one of ``keyNames`` (any case), not
  /// preceded by a letter (`db_password`, `X-Auth-Token`, not `tokenizer` or `passwords_policy`).
  static func isKeyName(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
    // Every key name ends in `d`, `t`, `n` or `y`: most keys are turned away by their last byte.
    guard key.count >= 3, let last = key.last else { return false }
    switch lower(last) {
    case 0x64, 0x74, 0x6E, 0x79: break
    default: return false
    }
    return keyNames.contains { name in
      key.count >= name.count
        && (0..<name.count).allSatisfy { lower(key[key.count - name.count + $0]) == name[$0] }
        && (key.count == name.count || !ByteClass.isLetter(key[key.count - name.count - 1]))
    }
  }

  /// Whether a credential's value is a placeholder rather than a secret: masks (`****`,
  /// `xxxx`), `null`, `<redacted>`, a bracketed or path-like value, an object's description.
  private static func isPlaceholder(_ value: [UInt8]) -> Bool {
    value.allSatisfy({ $0 == 0x2A || $0 == 0x78 || $0 == 0x58 }) || value == Array("null".utf8)
      || value == Array("<redacted>".utf8) || value.first == 0x5B || value.first == 0x2F
      || isObjectDescription(value)
  }

  /// Whether a field or key called `name` holds a credential (``isKeyName(_:)``).
  public static func isCredentialName(_ name: String) -> Bool {
    Array(name.utf8).withUnsafeBufferPointer { isKeyName($0) }
  }

  /// A field's value as outputs show it: the whole value redacted when the field's name says
  /// it is a credential (a JSON `password`, a CSV `api_key` column), else with the secrets in
  /// it redacted.
  /// - Parameters:
  ///   - value: the field's text.
  ///   - name: the field's name.
  /// - Returns: the text to show.
  public static func redact(value: String, named name: String) -> String {
    let bytes = Array(value.utf8)
    guard isCredentialName(name), bytes.count >= 4, !isPlaceholder(bytes) else {
      return redact(value)
    }
    return "[REDACTED:password]"
  }

  /// Whether a value is the type name of an object printed after it (`Token: Token { kind: …`).
  private static func isTypeName(
    _ value: [UInt8], before bytes: UnsafeBufferPointer<UInt8>, _ end: Int
  ) -> Bool {
    guard value.allSatisfy({ isWordByte($0) || $0 == 0x2E }) else { return false }
    var index = end
    while index < bytes.count, bytes[index] == 0x20 { index += 1 }
    return index < bytes.count && (bytes[index] == 0x7B || bytes[index] == 0x28)
  }

  /// Whether a value is a program's description of an object rather than a secret: a name
  /// right before an opening bracket (`Token{a64f992`, `Session(id`) or a dotted class name with
  /// an identity hash (`android.os.BinderProxy@2bd79ce`), as Java and Kotlin print objects.
  static func isObjectDescription(_ value: [UInt8]) -> Bool {
    guard let first = value.first, ByteClass.isLetter(first) || first == 0x5F else { return false }
    var index = 1
    var dots = 0
    while index < value.count,
      isWordByte(value[index]) || value[index] == 0x2E || value[index] == 0x24
    {
      if value[index] == 0x2E { dots += 1 }
      index += 1
    }
    guard index < value.count else { return false }
    switch value[index] {
    case 0x7B, 0x28, 0x3C: return true
    case 0x40:
      let hash = value[(index + 1)...]
      return dots > 0 && !hash.isEmpty
        && hash.allSatisfy { ByteClass.isDigit($0) || ($0 | 0x20) &- 0x61 < 6 }
    default: return false
    }
  }

  private static func apiKey(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Match? {
    guard !isWordByte(before: bytes, start),
      let prefix = apiKeyPrefixes.first(where: { hasPrefix(bytes, start, $0) })
    else { return nil }
    var end = start + prefix.count
    while end < bytes.count, isBase64URL(bytes[end]) { end += 1 }
    guard end - start - prefix.count >= 16 else { return nil }
    return Match(kind: "api_key", range: start..<end)
  }

  private static func cardNumber(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Match? {
    // Standing alone: after a space, quote, bracket, `=`, `:` or `,` — not inside an id
    // (`blk_-4111…`) or a number (`-4111…`, `1.4111…`).
    if start > 0 {
      switch bytes[start - 1] {
      case 0x20, 0x09, 0x22, 0x27, 0x28, 0x5B, 0x3D, 0x3A, 0x2C: break
      default: return nil
      }
      // Nor the tail of a list of numbers (`Fan speeds ( 3552 3534 3375 4530 3515 3479 )`).
      if start > 1, bytes[start - 1] == 0x20 || bytes[start - 1] == 0x2C,
        ByteClass.isDigit(bytes[start - 2])
      {
        return nil
      }
    }
    guard bytes[start] >= 0x32, bytes[start] <= 0x36 else { return nil }
    // The first group's length decides cheaply: 4 (grouped) or 13–19 (contiguous).
    var firstGroup = 0
    while start + firstGroup < bytes.count, ByteClass.isDigit(bytes[start + firstGroup]) {
      firstGroup += 1
    }
    guard firstGroup == 4 || (13...19).contains(firstGroup) else { return nil }
    var digits: [Int] = []
    var groups: [Int] = [0]
    var index = start
    var end = start
    while index < bytes.count, digits.count <= 19 {
      let byte = bytes[index]
      if ByteClass.isDigit(byte) {
        digits.append(Int(byte &- 0x30))
        groups[groups.count - 1] += 1
        end = index + 1
      } else if byte == 0x20 || byte == 0x2D, index + 1 < bytes.count,
        ByteClass.isDigit(bytes[index + 1])
      {
        groups.append(0)
      } else {
        break
      }
      index += 1
    }
    // Contiguous, or grouped as cards print: 4-4-4-4(-3) or 4-6-5.
    let grouped =
      groups.count == 1 || groups == [4, 6, 5]
      || (groups.count >= 4 && groups.dropLast().allSatisfy { $0 == 4 }
        && (1...4).contains(groups.last ?? 0))
    guard grouped, (13...19).contains(digits.count), end >= bytes.count || !isWordByte(bytes[end])
    else {
      return nil
    }
    // The Luhn check.
    var sum = 0
    for (offset, digit) in digits.reversed().enumerated() {
      if offset % 2 == 1 {
        let doubled = digit * 2
        sum += doubled > 9 ? doubled - 9 : doubled
      } else {
        sum += digit
      }
    }
    guard sum % 10 == 0, Set(digits).count >= 2, isIssued(digits),
      !isIdentifierValue(bytes, before: start)
    else { return nil }
    return Match(kind: "card_number", range: start..<end)
  }

  /// Whether a card network issues numbers that start so and are this long: Visa (4; 13, 16
  /// or 19 digits), Mastercard (51–55, 2221–2720; 16), American Express (34, 37; 15), Diners
  /// Club (300–305, 36, 38–39; 14–16), JCB (3528–3589; 16–19), Discover (6011, 644–649, 65;
  /// 16–19), UnionPay (62; 16–19), Maestro (50, 56–58, 67; 12–19), Mir (2200–2204; 16).
  /// Luhn alone passes one number in ten; an id of 15 digits starting with 2 is no card.
  static func isIssued(_ digits: [Int]) -> Bool {
    guard digits.count >= 4 else { return false }
    let length = digits.count
    let two = digits[0] * 10 + digits[1]
    let three = two * 10 + digits[2]
    let four = three * 10 + digits[3]
    switch digits[0] {
    case 4: return [13, 16, 19].contains(length)
    case 2:
      return length == 16 && ((2221...2720).contains(four) || (2200...2204).contains(four))
    case 3:
      if two == 34 || two == 37 { return length == 15 }
      if (300...305).contains(three) || two == 36 || two == 38 || two == 39 {
        return (14...16).contains(length)
      }
      return (3528...3589).contains(four) && (16...19).contains(length)
    case 5:
      if (51...55).contains(two) { return length == 16 }
      return [50, 56, 57, 58].contains(two) && (12...19).contains(length)
    case 6:
      if four == 6011 || (644...649).contains(three) || two == 65 || two == 62 {
        return (16...19).contains(length)
      }
      return two == 67 && (12...19).contains(length)
    default: return false
    }
  }

  /// Whether the digits at `start` are the value of a key named as an identifier
  /// (`"flow_id": 207236217323656`, `session_id=…`, `requestId:`): an id is no card number,
  /// however its digits add up.
  static func isIdentifierValue(_ bytes: UnsafeBufferPointer<UInt8>, before start: Int) -> Bool {
    var index = start - 1
    while index >= 0, bytes[index] == 0x20 || bytes[index] == 0x22 || bytes[index] == 0x27 {
      index -= 1
    }
    guard index >= 0, bytes[index] == 0x3A || bytes[index] == 0x3D else { return false }
    index -= 1
    if index >= 0, bytes[index] == 0x22 || bytes[index] == 0x27 { index -= 1 }
    let keyEnd = index + 1
    while index >= 0, isKeyByte(bytes[index]), keyEnd - index <= 64 { index -= 1 }
    let keyStart = index + 1
    guard keyEnd > keyStart else { return false }
    let key = String(
      decoding: UnsafeBufferPointer(rebasing: bytes[keyStart..<keyEnd]), as: UTF8.self)
    return ColumnProfile.isIdentifierName(key)
  }

  private static func isKeyByte(_ byte: UInt8) -> Bool {
    ByteClass.isLetter(byte) || ByteClass.isDigit(byte) || byte == 0x5F || byte == 0x2D
      || byte == 0x2E
  }

  // MARK: - Helpers

  private static func hasPrefix(
    _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ text: StaticString
  ) -> Bool {
    let count = text.utf8CodeUnitCount
    guard start + count <= bytes.count else { return false }
    let pointer = text.utf8Start
    for offset in 0..<count where bytes[start + offset] != pointer[offset] { return false }
    return true
  }

  private static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ text: [UInt8])
    -> Bool
  {
    guard start + text.count <= bytes.count else { return false }
    for offset in text.indices where bytes[start + offset] != text[offset] { return false }
    return true
  }

  private static func hasPrefixIgnoringCase(
    _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ text: StaticString
  ) -> Bool {
    let count = text.utf8CodeUnitCount
    guard start + count <= bytes.count else { return false }
    let pointer = text.utf8Start
    for offset in 0..<count where lower(bytes[start + offset]) != pointer[offset] { return false }
    return true
  }

  private static func find(
    _ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString, from: Int, within: Int
  ) -> Int? {
    let last = min(bytes.count, from + within)
    var index = from
    while index < last {
      if hasPrefix(bytes, index, text) { return index }
      index += 1
    }
    return nil
  }

  @inline(__always)
  private static func lower(_ byte: UInt8) -> UInt8 {
    byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
  }
  @inline(__always)
  private static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
  @inline(__always)
  private static func isWordByte(_ byte: UInt8) -> Bool {
    ByteClass.isLetter(byte) || ByteClass.isDigit(byte) || byte == 0x5F
  }
  private static func isWordByte(before bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
    index > 0 && isWordByte(bytes[index - 1])
  }
  @inline(__always)
  private static func isBase64URL(_ byte: UInt8) -> Bool { isWordByte(byte) || byte == 0x2D }
  @inline(__always)
  private static func isEmailLocal(_ byte: UInt8) -> Bool {
    isWordByte(byte) || byte == 0x2E || byte == 0x2D || byte == 0x2B
  }
}
