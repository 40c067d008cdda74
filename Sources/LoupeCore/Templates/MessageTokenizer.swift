/// One token of a message after masking.
struct MaskedToken {
  /// The token's bytes in the message.
  var span: ByteSpan
  /// The variable part inside the token (the whole token, a `key=` value, or the core
  /// between brackets), when the token holds a variable.
  var variable: ByteSpan?
  /// A hash of the token's masked text (`<*>` in place of the variable).
  var hash: UInt64
}

/// Splits a message into whitespace-separated tokens and masks the variable ones.
enum MessageTokenizer {
  /// The hash that stands for a bare `<*>` token.
  static let wildcard: UInt64 = Hashing.fnv1a("<*>".utf8) | 1

  /// Tokenizes `span` of `bytes`, masking variables.
  /// - Complexity: O(*n*) in the message length.
  static func tokens(
    _ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, into tokens: inout [MaskedToken]
  ) {
    tokens.removeAll(keepingCapacity: true)
    var index = span.start
    while index < span.end {
      while index < span.end,
        ByteClass.isBlank(bytes[index]) || bytes[index] == 0x0A || bytes[index] == 0x0D
      {
        index += 1
      }
      guard index < span.end else { break }
      let start = index
      while index < span.end,
        !(ByteClass.isBlank(bytes[index]) || bytes[index] == 0x0A || bytes[index] == 0x0D)
      {
        index += 1
      }
      tokens.append(mask(bytes, ByteSpan(start, index)))
      if tokens.count >= 512 { break }
    }
  }

  private static func mask(_ bytes: UnsafeBufferPointer<UInt8>, _ token: ByteSpan) -> MaskedToken {
    var core = token
    while core.start < core.end, TokenMasker.isWrapper(bytes[core.start]) { core.start += 1 }
    while core.end > core.start,
      TokenMasker.isWrapper(bytes[core.end - 1]) || bytes[core.end - 1] == 0x2E
    {
      core.end -= 1
    }
    var variable: ByteSpan?
    if TokenMasker.isVariable(bytes, core) {
      variable = core
    } else if let equals = (core.start..<core.end).first(where: { bytes[$0] == 0x3D }) {
      let value = ByteSpan(equals + 1, core.end)
      if !value.isEmpty, TokenMasker.isVariable(bytes, value) { variable = value }
    }
    guard let variable else {
      return MaskedToken(span: token, variable: nil, hash: Hashing.fnv1a(bytes, token) | 1)
    }
    if variable == token { return MaskedToken(span: token, variable: variable, hash: wildcard) }
    var hash = Hashing.fnv1a(UnsafeBufferPointer(rebasing: bytes[token.start..<variable.start]))
    hash = Hashing.fnv1a("<*>".utf8, seed: hash)
    hash = Hashing.fnv1a(UnsafeBufferPointer(rebasing: bytes[variable.end..<token.end]), seed: hash)
    return MaskedToken(span: token, variable: variable, hash: hash | 1)
  }

  /// The masked text of a token.
  static func maskedText(_ bytes: UnsafeBufferPointer<UInt8>, _ token: MaskedToken) -> [UInt8] {
    guard let variable = token.variable else {
      return Array(bytes[token.span.start..<token.span.end])
    }
    return Array(bytes[token.span.start..<variable.start]) + Array("<*>".utf8)
      + Array(bytes[variable.end..<token.span.end])
  }
}
