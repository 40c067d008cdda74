/// One token of a masked message.
struct MaskedToken {
  /// The original bytes the token covers (one source token, or two when a unit was absorbed).
  var source: ByteSpan
  /// The masked text, as a range in the tokenizer's scratch buffer.
  var masked: Range<Int>
  /// A hash of the masked text.
  var hash: UInt64
  /// Whether the masked text holds a `<*>`.
  var isVariable: Bool
}

/// Splits a message into whitespace-separated tokens and masks them (``TokenMasker``), then
/// absorbs size units into the number before them (`850.0 B` → `<*>`) and collapses repeated
/// variable tokens (`blk_1 blk_2 blk_3` → one `<*>`), so that a variable spanning a different
/// number of tokens still gives one template.
struct MessageTokenizer {
  /// The masked bytes of the last message's tokens.
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

  /// Tokenizes and masks `span` of `bytes`.
  /// - Complexity: O(*n*) in the message length.
  mutating func tokenize(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) {
    scratch.removeAll(keepingCapacity: true)
    tokens.removeAll(keepingCapacity: true)
    var index = span.start
    while index < span.end {
      while index < span.end, Self.isSpace(bytes[index]) { index += 1 }
      guard index < span.end else { break }
      let start = index
      while index < span.end, !Self.isSpace(bytes[index]) { index += 1 }
      if tokens.count >= Self.maxTokens {
        // An enormous message: the rest is one variable.
        append(ByteSpan(start, span.end), masked: TokenMasker.wildcard)
        break
      }
      let token = ByteSpan(start, index)
      let maskedStart = scratch.count
      TokenMasker.mask(bytes, token, into: &scratch)
      finishToken(bytes, token, maskedStart)
    }
  }

  private mutating func append(_ source: ByteSpan, masked text: [UInt8]) {
    let start = scratch.count
    scratch.append(contentsOf: text)
    tokens.append(
      MaskedToken(
        source: source, masked: start..<scratch.count, hash: Self.wildcardHash, isVariable: true))
  }

  private mutating func finishToken(
    _ bytes: UnsafeBufferPointer<UInt8>, _ token: ByteSpan, _ maskedStart: Int
  ) {
    let range = maskedStart..<scratch.count
    if let previous = tokens.last, previous.isVariable, endsWithWildcard(previous.masked) {
      // A unit after a number belongs to the variable; keep the unit's closing punctuation.
      var core = token
      while core.end > core.start,
        TokenMasker.isWrapper(bytes[core.end - 1]) || bytes[core.end - 1] == 0x2E
      {
        core.end -= 1
      }
      if !core.isEmpty, core.start == token.start,
        Self.units.contains(Hashing.fnv1a(bytes, core))
      {
        let suffix = Array(bytes[core.end..<token.end])
        scratch.removeSubrange(range)
        if !suffix.isEmpty {
          // Re-write the previous token with the suffix appended.
          let text = Array(scratch[previous.masked]) + suffix
          scratch.removeSubrange(previous.masked)
          let start = scratch.count
          scratch.append(contentsOf: text)
          tokens[tokens.count - 1].masked = start..<scratch.count
          tokens[tokens.count - 1].hash = hash(start..<scratch.count)
        }
        tokens[tokens.count - 1].source.end = token.end
        return
      }
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

  @inline(__always)
  private static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }

  /// The masked text of a token.
  func text(_ token: MaskedToken) -> [UInt8] { Array(scratch[token.masked]) }
}
