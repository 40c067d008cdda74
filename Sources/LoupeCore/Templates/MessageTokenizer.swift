/// One token of a masked message.
struct MaskedToken {
  /// The original bytes the token covers (one source token, or two when a unit was absorbed).
  var source: ByteSpan
  /// The masked text in the tokenizer's scratch buffer, or `nil` when it is the source text
  /// unchanged (a plain word).
  var masked: Range<Int>?
  /// A hash of the masked text.
  var hash: UInt64
  /// Whether the masked text holds a `<*>`.
  var isVariable: Bool
}

/// Splits a message into whitespace-separated tokens and masks them (``TokenMasker``), then
/// absorbs size units into the number before them (`850.0 B` → `<*>`) and collapses repeated
/// variable tokens (`blk_1 blk_2 blk_3` → one `<*>`), so that a variable spanning a different
/// number of tokens still gives one template.
///
/// Plain tokens — no digit, `=`, `.`, `/` or `:`, as most words are — are classified and hashed
/// in the same pass that finds their end, and never copied.
struct MessageTokenizer {
  /// The masked bytes of the last message's masked tokens.
  private(set) var scratch: [UInt8] = []
  /// The last message's tokens.
  private(set) var tokens: [MaskedToken] = []

  /// At most this many tokens of a message are kept (the rest is one `<*>`).
  static let maxTokens = 256

  static let wildcardHash: UInt64 = Hashing.fnv1a("<*>".utf8) | 1

  private static let units: Set<UInt64> = Set(
    ["B", "KB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB", "kB", "k", "M", "G", "bytes"]
      .map {
        Hashing.fnv1a($0.utf8)
      })

  private static let space: UInt8 = 1
  private static let special: UInt8 = 2
  private static let alphanumeric: UInt8 = 4

  /// Byte classes: whitespace; a digit or `= . / :` (the bytes any masking rule needs); a
  /// letter or digit.
  private static let classes: [UInt8] = (0..<256).map { value in
    let byte = UInt8(value)
    var flags: UInt8 = 0
    if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { flags |= space }
    if ByteClass.isDigit(byte) || byte == 0x3D || byte == 0x2E || byte == 0x2F || byte == 0x3A {
      flags |= special
    }
    if ByteClass.isDigit(byte) || ByteClass.isLetter(byte) { flags |= alphanumeric }
    return flags
  }

  /// Tokenizes and masks `span` of `bytes`.
  /// - Complexity: O(*n*) in the message length.
  mutating func tokenize(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) {
    scratch.removeAll(keepingCapacity: true)
    tokens.removeAll(keepingCapacity: true)
    Self.classes.withUnsafeBufferPointer { classes in
      var index = span.start
      while index < span.end {
        while index < span.end, classes[Int(bytes[index])] & Self.space != 0 { index += 1 }
        guard index < span.end else { break }
        let start = index
        var flags: UInt8 = 0
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        while index < span.end {
          let byte = bytes[index]
          let kind = classes[Int(byte)]
          if kind & Self.space != 0 { break }
          flags |= kind
          hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
          index += 1
        }
        if tokens.count >= Self.maxTokens {
          // An enormous message: the rest is one variable.
          let masked = scratch.count
          scratch.append(contentsOf: TokenMasker.wildcard)
          tokens.append(
            MaskedToken(
              source: ByteSpan(start, span.end), masked: masked..<scratch.count,
              hash: Self.wildcardHash,
              isVariable: true))
          break
        }
        let token = ByteSpan(start, index)
        if flags & Self.special == 0, flags & Self.alphanumeric != 0,
          token.count > 7 || !TokenMasker.isNamedVariableToken(bytes, token)
        {
          finishPlainToken(bytes, token, hash: hash | 1)
        } else {
          let maskedStart = scratch.count
          TokenMasker.mask(bytes, token, into: &scratch)
          finishToken(bytes, token, maskedStart)
        }
      }
    }
  }

  /// A plain word: its masked text is its text. It may still be a unit after a number.
  private mutating func finishPlainToken(
    _ bytes: UnsafeBufferPointer<UInt8>, _ token: ByteSpan, hash: UInt64
  ) {
    if let suffix = unitSuffix(bytes, token) {
      absorbUnit(token, suffix: suffix)
      return
    }
    tokens.append(MaskedToken(source: token, masked: nil, hash: hash, isVariable: false))
  }

  private mutating func finishToken(
    _ bytes: UnsafeBufferPointer<UInt8>, _ token: ByteSpan, _ maskedStart: Int
  ) {
    let range = maskedStart..<scratch.count
    if let suffix = unitSuffix(bytes, token) {
      // Drop this token's own masked bytes first: the previous token's bytes end the scratch.
      scratch.removeSubrange(range)
      absorbUnit(token, suffix: suffix)
      return
    }
    let hash = hash(range)
    let isVariable = contains(range)
    if isVariable, let previous = tokens.last, previous.hash == hash {
      // A repeated variable token (`blk_1 blk_2`): one variable.
      scratch.removeSubrange(range)
      tokens[tokens.count - 1].source.end = token.end
      return
    }
    tokens.append(MaskedToken(source: token, masked: range, hash: hash, isVariable: isVariable))
  }

  /// When `token` is a size unit right after a number, the unit's closing punctuation (to keep).
  private func unitSuffix(_ bytes: UnsafeBufferPointer<UInt8>, _ token: ByteSpan) -> [UInt8]? {
    guard let previous = tokens.last, previous.isVariable, let previousRange = previous.masked,
      previousRange.upperBound <= scratch.count, endsWithWildcard(previousRange)
    else { return nil }
    var core = token
    while core.end > core.start,
      TokenMasker.isWrapper(bytes[core.end - 1]) || bytes[core.end - 1] == 0x2E
    {
      core.end -= 1
    }
    guard !core.isEmpty, core.count <= 5, Self.units.contains(Hashing.fnv1a(bytes, core)) else {
      return nil
    }
    return Array(bytes[core.end..<token.end])
  }

  /// Joins a unit to the number before it; that number's masked bytes end the scratch.
  private mutating func absorbUnit(_ token: ByteSpan, suffix: [UInt8]) {
    guard let previousRange = tokens.last?.masked, previousRange.upperBound == scratch.count else {
      return
    }
    if !suffix.isEmpty {
      scratch.append(contentsOf: suffix)
      let range = previousRange.lowerBound..<scratch.count
      tokens[tokens.count - 1].masked = range
      tokens[tokens.count - 1].hash = hash(range)
    }
    tokens[tokens.count - 1].source.end = token.end
  }

  private func hash(_ range: Range<Int>) -> UInt64 {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325
    for index in range { value = (value ^ UInt64(scratch[index])) &* 0x100_0000_01b3 }
    return value | 1
  }

  private func contains(_ range: Range<Int>) -> Bool {
    guard range.count >= 3 else { return false }
    for index in range.lowerBound..<(range.upperBound - 2)
    where scratch[index] == 0x3C && scratch[index + 1] == 0x2A && scratch[index + 2] == 0x3E {
      return true
    }
    return false
  }

  private func endsWithWildcard(_ range: Range<Int>) -> Bool {
    range.count >= 3 && scratch[range.upperBound - 3] == 0x3C
      && scratch[range.upperBound - 2] == 0x2A
      && scratch[range.upperBound - 1] == 0x3E
  }

  /// The masked text of every token; `bytes` must be the buffer last tokenized.
  func texts(in bytes: UnsafeBufferPointer<UInt8>) -> [[UInt8]] {
    tokens.map { token in
      if let masked = token.masked { return Array(scratch[masked]) }
      return Array(bytes[token.source.start..<token.source.end])
    }
  }
}
