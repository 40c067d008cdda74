/// A session-key expression compiled to a byte matcher, for the common shapes (`blk_-?\d+`,
/// `req-([0-9a-f]+)`, `session=(\w+)`): literals, escapes, `.`, `[...]` sets, the quantifiers
/// `?`, `*`, `+` (greedy), and at most one group, whose text is the key. Anything else
/// (alternation, anchors, counted repetition, nested groups, look-arounds) returns `nil` from
/// ``init(_:)`` and the caller uses a regular-expression engine instead.
///
/// Searching tries each position whose byte can start a match and backtracks at most 10,000
/// steps per position, so no message can make it slow; matches do not overlap.
struct KeyPattern: Sendable {
  typealias ByteSet = HeaderPattern.ByteSet

  enum Element: Sendable {
    case set(ByteSet, min: Int, max: Int)
    case open
    case close
  }

  let elements: [Element]
  let captures: Bool
  /// The bytes a match can start with, when the first element is required.
  let firstSet: ByteSet?

  /// Compiles `expression`, or returns `nil` when it uses syntax this matcher does not have.
  init?(_ expression: String) {
    let bytes = Array(expression.utf8)
    guard !bytes.isEmpty else { return nil }
    var parser = HeaderPattern.Parser(bytes: bytes)
    var elements: [Element] = []
    var depth = 0
    var groups = 0
    while parser.index < bytes.count {
      let byte = bytes[parser.index]
      switch byte {
      case 0x28:  // (
        guard depth == 0, groups == 0 else { return nil }
        parser.index += 1
        if parser.index + 1 < bytes.count, bytes[parser.index] == 0x3F {
          guard bytes[parser.index + 1] == 0x3A else { return nil }  // only (?:
          parser.index += 2
          depth = 1
          continue
        }
        depth = 1
        groups = 1
        elements.append(.open)
      case 0x29:  // )
        guard depth == 1 else { return nil }
        depth = 0
        parser.index += 1
        if groups == 1, case .open? = elements.last { return nil }
        if groups == 1, !elements.contains(where: { if case .close = $0 { true } else { false } }) {
          elements.append(.close)
        }
        if parser.index < bytes.count, [0x3F, 0x2A, 0x2B, 0x7B].contains(bytes[parser.index]) {
          return nil  // a quantified group
        }
      case 0x7C, 0x5E, 0x24, 0x7B, 0x7D:  // | ^ $ { }
        return nil
      default:
        if byte == 0x5C, parser.index + 1 < bytes.count,
          [0x62, 0x42, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x41, 0x5A, 0x7A]
            .contains(bytes[parser.index + 1])
        {
          return nil  // \b \B \1… \A \Z \z
        }
        guard let atom = try? parser.parseAtom() else { return nil }
        if parser.index < bytes.count,
          bytes[parser.index] == 0x3F || bytes[parser.index] == 0x2A
            || bytes[parser.index] == 0x2B
        {
          let quantifier = bytes[parser.index]
          parser.index += 1
          if parser.index < bytes.count, bytes[parser.index] == 0x3F || bytes[parser.index] == 0x2B
          {
            return nil  // lazy or possessive
          }
          let (low, high) =
            quantifier == 0x3F ? (0, 1) : quantifier == 0x2A ? (0, Int.max) : (1, Int.max)
          elements.append(.set(atom.0, min: low, max: high))
        } else {
          elements.append(.set(atom.0, min: 1, max: 1))
        }
      }
    }
    guard depth == 0 else { return nil }
    guard elements.contains(where: { if case .set(_, let min, _) = $0 { min > 0 } else { false } })
    else { return nil }  // could match the empty string
    self.elements = elements
    captures = groups == 1
    var firstSet: ByteSet?
    for element in elements {
      if case .open = element { continue }
      if case .set(let set, let min, _) = element, min > 0 { firstSet = set }
      break
    }
    self.firstSet = firstSet
  }

  /// Every key in `span` of `bytes`: the group's text (or the whole match), left to right.
  func keys(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> [ByteSpan] {
    var found: [ByteSpan] = []
    elements.withUnsafeBufferPointer { elements in
      var start = span.start
      while start < span.end {
        if let firstSet, !firstSet.contains(bytes[start]) {
          start += 1
          continue
        }
        var state = State(bytes: bytes, elements: elements, end: span.end)
        if let end = state.match(0, start) {
          found.append(
            captures ? ByteSpan(state.groupStart, state.groupEnd) : ByteSpan(start, end))
          start = max(end, start + 1)
        } else {
          start += 1
        }
      }
    }
    return found
  }

  struct State {
    let bytes: UnsafeBufferPointer<UInt8>
    let elements: UnsafeBufferPointer<Element>
    let end: Int
    var groupStart = 0
    var groupEnd = 0
    var steps = 0

    /// Matches the elements from `element` on at `position`; returns where the match ends.
    mutating func match(_ element: Int, _ position: Int) -> Int? {
      steps += 1
      if steps > 10_000 { return nil }
      guard element < elements.count else { return position }
      switch elements[element] {
      case .open:
        groupStart = position
        return match(element + 1, position)
      case .close:
        groupEnd = position
        return match(element + 1, position)
      case .set(let set, let min, let max):
        var count = 0
        while count < max, position + count < end, set.contains(bytes[position + count]) {
          count += 1
        }
        guard count >= min else { return nil }
        while count >= min {
          if let matched = match(element + 1, position + count) { return matched }
          count -= 1
        }
        return nil
      }
    }
  }
}
