/// A log header format in the LOGPAI syntax, compiled to a small byte-level matcher.
///
/// `<Field>` captures a field (lazily, like `(?P<Field>.*?)`), a run of spaces matches any run
/// of whitespace, and other text is a regular-expression fragment. The supported fragment
/// syntax covers what header formats use: literal bytes, `\` escapes, `.`, the classes `\d
/// \D \s \S \w \W` and `[...]` sets, the quantifiers `?`, `*` and `+` on one element, and
/// groups `( … )` that may be optional. The whole line must match, as with LOGPAI's `^…$`.
///
/// Matching backtracks but is bounded: a line that needs more than 20,000 steps is treated
/// as not matching, so no input can make it slow.
public struct HeaderPattern: Sendable {
  /// The capture names, in order of appearance.
  public let fieldNames: [String]
  /// For each capture, whether the format encloses it in literal brackets (`\[<Process>\]`),
  /// so that it may hold spaces.
  public let bracketed: [Bool]
  /// The parsed format flattened into one instruction list that the matcher walks by index.
  let program: [Instruction]

  /// A problem in a header format, with the position where it was found.
  public struct SyntaxError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// A sentence for the user.
    public var description: String { "invalid --log-format: \(message)" }
  }

  /// One step of the flattened matcher: groups are inlined, an optional group becomes a
  /// choice between its first instruction and the one after it. Plain values, so walking the
  /// program retains nothing.
  enum Instruction: Sendable {
    case literal(UInt8)
    case set(ByteSet, min: Int, max: Int)
    case whitespace
    case capture(Int)
    /// Try the next instruction; failing that, continue at `skip`.
    case optional(skip: Int)
  }

  indirect enum Node: Sendable {
    case literal(UInt8)
    case set(ByteSet, min: Int, max: Int)
    case whitespace
    case capture(Int)
    case group([Node], optional: Bool)
  }

  /// A set of bytes, as a 256-bit bitmap.
  struct ByteSet: Sendable {
    var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    func contains(_ byte: UInt8) -> Bool {
      let bit = UInt64(1) << UInt64(byte & 63)
      switch byte >> 6 {
      case 0: return words.0 & bit != 0
      case 1: return words.1 & bit != 0
      case 2: return words.2 & bit != 0
      default: return words.3 & bit != 0
      }
    }

    mutating func insert(_ byte: UInt8) {
      let bit = UInt64(1) << UInt64(byte & 63)
      switch byte >> 6 {
      case 0: words.0 |= bit
      case 1: words.1 |= bit
      case 2: words.2 |= bit
      default: words.3 |= bit
      }
    }

    mutating func insert(_ range: ClosedRange<UInt8>) { for byte in range { insert(byte) } }

    func inverted() -> ByteSet {
      ByteSet(words: (~words.0, ~words.1, ~words.2, ~words.3))
    }

    static let all = ByteSet().inverted()
    static let digits: ByteSet = {
      var set = ByteSet()
      set.insert(0x30...0x39)
      return set
    }()
    static let spaces: ByteSet = {
      var set = ByteSet()
      for byte: UInt8 in [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D] { set.insert(byte) }
      return set
    }()
    static let word: ByteSet = {
      var set = ByteSet()
      set.insert(0x30...0x39)
      set.insert(0x41...0x5A)
      set.insert(0x61...0x7A)
      set.insert(0x5F)
      set.insert(0x80...0xFF)
      return set
    }()
  }

  /// Compiles a LOGPAI header format.
  /// - Parameter format: e.g. `<Date> <Time> <Level> \[<Component>\]: <Content>`.
  /// - Throws: ``SyntaxError`` for an unclosed `<`, `(` or `[`, or a format without fields.
  public init(_ format: String) throws(SyntaxError) {
    var names: [String] = []
    var parser = Parser(bytes: Array(format.utf8))
    let nodes = try parser.parseSequence(names: &names, closing: nil)
    guard !names.isEmpty else {
      throw SyntaxError(message: "the format has no <Field>; use e.g. '<Date> <Time> <Content>'")
    }
    fieldNames = names
    var enclosed = [Bool](repeating: false, count: names.count)
    Self.markBracketed(nodes, &enclosed)
    bracketed = enclosed
    var program: [Instruction] = []
    Self.compile(nodes, into: &program)
    self.program = program
  }

  private static func compile(_ nodes: [Node], into program: inout [Instruction]) {
    for node in nodes {
      switch node {
      case .literal(let byte): program.append(.literal(byte))
      case .set(let set, let min, let max): program.append(.set(set, min: min, max: max))
      case .whitespace: program.append(.whitespace)
      case .capture(let slot): program.append(.capture(slot))
      case .group(let inner, let optional):
        guard optional else {
          compile(inner, into: &program)
          continue
        }
        let choice = program.count
        program.append(.optional(skip: 0))
        compile(inner, into: &program)
        program[choice] = .optional(skip: program.count)
      }
    }
  }

  private static func markBracketed(_ nodes: [Node], _ enclosed: inout [Bool]) {
    for (index, node) in nodes.enumerated() {
      switch node {
      case .capture(let slot):
        if index > 0, index + 1 < nodes.count, case .literal(0x5B) = nodes[index - 1],
          case .literal(0x5D) = nodes[index + 1]
        {
          enclosed[slot] = true
        }
      case .group(let inner, _):
        markBracketed(inner, &enclosed)
      default:
        break
      }
    }
  }

  /// Matches a whole line.
  /// - Parameters:
  ///   - bytes: the source buffer.
  ///   - span: the line.
  /// - Returns: one span per field (in ``fieldNames`` order), or `nil` when the line does not
  ///   match.
  public func match(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> [ByteSpan]? {
    program.withUnsafeBufferPointer { program in
      var state = MatchState(
        bytes: bytes, program: program, end: span.end,
        captures: [ByteSpan](repeating: .empty, count: fieldNames.count))
      guard state.match(0, span.start) else { return nil }
      return state.captures
    }
  }

  struct MatchState {
    let bytes: UnsafeBufferPointer<UInt8>
    let program: UnsafeBufferPointer<Instruction>
    let end: Int
    var captures: [ByteSpan]
    var steps = 0

    /// Matches the program from instruction `pc` at byte `position` to the end of the line.
    mutating func match(_ pc: Int, _ position: Int) -> Bool {
      steps += 1
      if steps > 20_000 { return false }
      guard pc < program.count else { return position == end }
      switch program[pc] {
      case .literal(let byte):
        guard position < end, bytes[position] == byte else { return false }
        return match(pc + 1, position + 1)
      case .whitespace:
        var index = position
        while index < end, ByteSet.spaces.contains(bytes[index]) { index += 1 }
        guard index > position else { return false }
        // Greedy `\s+`, backing off one byte at a time.
        while index > position {
          if match(pc + 1, index) { return true }
          index -= 1
        }
        return false
      case .set(let set, let min, let max):
        var count = 0
        var index = position
        while count < max, index < end, set.contains(bytes[index]) {
          index += 1
          count += 1
        }
        guard count >= min else { return false }
        while count >= min {
          if match(pc + 1, position + count) { return true }
          count -= 1
        }
        return false
      case .capture(let slot):
        if pc + 1 == program.count {
          captures[slot] = ByteSpan(position, end)
          return true
        }
        // Lazy `.*?`: the shortest capture that lets the rest match. When a literal follows,
        // jump between its occurrences only.
        let nextLiteral: UInt8? = if case .literal(let byte) = program[pc + 1] { byte } else { nil }
        var index = position
        while index <= end {
          if let nextLiteral {
            while index < end, bytes[index] != nextLiteral { index += 1 }
            if index >= end { return false }
          }
          captures[slot] = ByteSpan(position, index)
          if match(pc + 1, index) { return true }
          index += 1
          if steps > 20_000 { return false }
        }
        return false
      case .optional(let skip):
        return match(pc + 1, position) || match(skip, position)
      }
    }
  }

  struct Parser {
    let bytes: [UInt8]
    var index = 0

    mutating func parseSequence(names: inout [String], closing: UInt8?) throws(SyntaxError)
      -> [Node]
    {
      var nodes: [Node] = []
      while index < bytes.count {
        let byte = bytes[index]
        if let closing, byte == closing {
          index += 1
          return nodes
        }
        switch byte {
        case 0x3C:
          guard let close = bytes[index...].firstIndex(of: 0x3E) else {
            throw SyntaxError(message: "unclosed '<' at position \(index + 1)")
          }
          let name = String(decoding: bytes[(index + 1)..<close], as: UTF8.self)
          guard !name.isEmpty,
            name.utf8.allSatisfy({ ByteClass.isLetter($0) || ByteClass.isDigit($0) || $0 == 0x5F })
          else {
            throw SyntaxError(message: "invalid field name '<\(name)>' (use letters, digits and _)")
          }
          names.append(name)
          nodes.append(.capture(names.count - 1))
          index = close + 1
        case 0x20:
          while index < bytes.count, bytes[index] == 0x20 { index += 1 }
          nodes.append(.whitespace)
        case 0x28:
          index += 1
          if index + 1 < bytes.count, bytes[index] == 0x3F, bytes[index + 1] == 0x3A { index += 2 }
          let inner = try parseSequence(names: &names, closing: 0x29)
          var optional = false
          if index < bytes.count, bytes[index] == 0x3F {
            optional = true
            index += 1
          }
          nodes.append(.group(inner, optional: optional))
        case 0x29:
          throw SyntaxError(message: "unbalanced ')' at position \(index + 1)")
        default:
          let set = try parseAtom()
          nodes.append(applyQuantifier(set))
        }
      }
      if closing != nil { throw SyntaxError(message: "unclosed '('") }
      return nodes
    }

    /// Parses one single-byte element: a literal, an escape, `.` or a `[...]` set.
    mutating func parseAtom() throws(SyntaxError) -> (ByteSet, literal: UInt8?) {
      let byte = bytes[index]
      index += 1
      switch byte {
      case 0x2E:
        return (ByteSet.all, nil)
      case 0x5C:
        guard index < bytes.count else { throw SyntaxError(message: "a trailing '\\'") }
        let escaped = bytes[index]
        index += 1
        switch escaped {
        case 0x64: return (ByteSet.digits, nil)
        case 0x44: return (ByteSet.digits.inverted(), nil)
        case 0x73: return (ByteSet.spaces, nil)
        case 0x53: return (ByteSet.spaces.inverted(), nil)
        case 0x77: return (ByteSet.word, nil)
        case 0x57: return (ByteSet.word.inverted(), nil)
        case 0x74: return single(0x09)
        default: return single(escaped)
        }
      case 0x5B:
        var set = ByteSet()
        var negate = false
        if index < bytes.count, bytes[index] == 0x5E {
          negate = true
          index += 1
        }
        var first = true
        while index < bytes.count, bytes[index] != 0x5D || first {
          first = false
          var low = bytes[index]
          index += 1
          if low == 0x5C, index < bytes.count {
            let escaped = bytes[index]
            index += 1
            switch escaped {
            case 0x64:
              set.insert(0x30...0x39)
              continue
            case 0x73:
              for b: UInt8 in [0x20, 0x09] { set.insert(b) }
              continue
            case 0x77:
              set.insert(0x30...0x39)
              set.insert(0x41...0x5A)
              set.insert(0x61...0x7A)
              set.insert(0x5F)
              continue
            default: low = escaped
            }
          }
          if index + 1 < bytes.count, bytes[index] == 0x2D, bytes[index + 1] != 0x5D {
            let high = bytes[index + 1]
            index += 2
            if low <= high { set.insert(low...high) }
          } else {
            set.insert(low)
          }
        }
        guard index < bytes.count else { throw SyntaxError(message: "unclosed '['") }
        index += 1
        return (negate ? set.inverted() : set, nil)
      default:
        return single(byte)
      }
    }

    private func single(_ byte: UInt8) -> (ByteSet, literal: UInt8?) {
      var set = ByteSet()
      set.insert(byte)
      return (set, byte)
    }

    mutating func applyQuantifier(_ atom: (ByteSet, literal: UInt8?)) -> Node {
      if index < bytes.count {
        let quantifier = bytes[index]
        var bounds: (Int, Int)?
        switch quantifier {
        case 0x3F: bounds = (0, 1)
        case 0x2A: bounds = (0, Int.max)
        case 0x2B: bounds = (1, Int.max)
        default: break
        }
        if let (low, high) = bounds {
          index += 1
          // A lazy marker after the quantifier is accepted; matching stays greedy with
          // backtracking, which finds a match whenever the lazy form does.
          if index < bytes.count, bytes[index] == 0x3F { index += 1 }
          return .set(atom.0, min: low, max: high)
        }
      }
      if let literal = atom.literal { return .literal(literal) }
      return .set(atom.0, min: 1, max: 1)
    }
  }
}
