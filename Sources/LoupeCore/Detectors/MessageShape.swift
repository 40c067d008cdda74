import Foundation

/// What a template's wording says about the trouble it reports, beyond its trouble words. The
/// rule detector uses it to tell a failure from the detail around one:
///
/// - **Value dumps**: a line that states a value rather than an event — a register or address
///   (`instruction address: 0x00a4`, `Machine State Register: 0x8002`), a dotted leader
///   (`machine check enable..............0`), or a list of register values (`r24=0x1 r25=0x0`,
///   `lr:00004ed8 cr:28004448`). Crash handlers print dozens of them after the line that names
///   the failure, at the failure's level; the failure is the finding, its dump is detail.
/// - **Resolved trouble**: an error reported together with its resolution (`parity error
///   corrected`, `3 ddr error(s) detected and corrected`, `attempting to correct`,
///   `recovered`): the system working as designed, not an incident, when the source itself
///   logs it below error level.
/// - **Caller errors**: a failure that ends in the system error text of a request the caller got
///   wrong (`…: No such file or directory`, `…, Permission denied`, `Exec format error`) — the
///   counterpart of an HTTP 4xx, which the access-log rules do not flag either — as opposed to a
///   fault of the system (`Input/output error`, `Connection reset by peer`, a failed mount).
///   Its level and generic trouble words do not make a finding; specific ones (an
///   authentication failure) still do.
/// - **Success reports**: a message that says something went well (`cupsd startup succeeded`,
///   `Command has completed successfully`, `Link ok`) and has no trouble words. Where the
///   source gives no level, it is what an informational level would say: routine
///   (``RoutineWeight``).
public enum MessageShape {
  /// The kind of a template, as far as its wording tells.
  public enum Kind: Equatable, Sendable {
    /// Nothing special.
    case plain
    /// A line of a register or value dump.
    case valueDump
    /// Trouble reported with its resolution; the marker that says so.
    case resolved(String)
    /// A caller's error; the system error text that says so.
    case callerError(String)
    /// A report of success without trouble words; the marker that says so.
    case success(String)
  }

  /// System error texts (strerror) of requests the caller got wrong, lower-case.
  public static let callerErrorTexts = [
    "no such file or directory", "permission denied", "exec format error", "not a directory",
    "is a directory", "file exists", "file name too long", "bad file descriptor",
    "block device required", "operation not permitted", "argument list too long",
  ]

  /// Words that say the trouble was dealt with, lower-case.
  public static let resolutionMarkers = [
    "corrected", "attempting to correct", "recovered", "resolved", "cleared", "self-healed",
  ]

  /// Words that say something went well, lower-case.
  public static let successMarkers = [
    "succeeded", "successful", "successfully", "completed", "complete", "ok",
  ]

  /// Words that turn a success marker around when right before it, lower-case.
  static let negations: Set<String> = ["not", "never", "no", "isn't", "wasn't", "didn't"]

  /// Nouns whose value a dump line states (`… address: <*>`, `… register: <*>`), lower-case.
  static let dumpNouns: Set<String> = [
    "address", "addr", "register", "registers", "pointer", "counter", "syndrome",
  ]

  /// Classifies a template text (variable parts written `<*>`).
  public static func kind(of text: String) -> Kind {
    if isValueDump(text) { return .valueDump }
    let lower = text.lowercased()
    if let errorText = callerErrorTexts.first(where: { endsWithErrorText(lower, $0) }) {
      return .callerError(errorText)
    }
    if let marker = resolutionMarkers.first(where: { containsWord(lower, $0) }) {
      return .resolved(marker)
    }
    if let marker = successMarkers.first(where: { containsAffirmed(lower, $0) }),
      RuleCatalog.matchingPhrases(text).isEmpty
    {
      return .success(marker)
    }
    return .plain
  }

  /// The kind of each template of an input: by its text, or, where the text tells nothing
  /// (its variable parts may have swallowed the shape), by its first record's message.
  /// Computed once per input (``DetectionCache``).
  public static func kinds(_ input: DetectionInput) -> [Kind] {
    input.cache.shapes { computeKinds(input) }
  }

  private static func computeKinds(_ input: DetectionInput) -> [Kind] {
    var first = [Int?](repeating: nil, count: input.templates.templates.count)
    for (index, template) in input.templates.assignments.enumerated() where first[template] == nil {
      first[template] = index
    }
    return input.templates.templates.enumerated().map { index, template in
      let kind = kind(of: template.text)
      guard kind == .plain, let record = first[index] else { return kind }
      return self.kind(of: input.buffer.string(input.records[record].message))
    }
  }

  /// Whether the text is a line of a register or value dump.
  public static func isValueDump(_ text: String) -> Bool {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty else { return false }
    return hasDottedLeader(trimmed) || isRegisterList(trimmed) || isLabelledValue(trimmed)
  }

  /// `label.......value`: a run of dots with one value (and perhaps a parenthesised note)
  /// after it — four dots or more, or two or three right against the value (`operation..0`;
  /// prose's `retrying... 5` has a space).
  private static func hasDottedLeader(_ text: String) -> Bool {
    guard let run = text.range(of: "..") else { return false }
    let label = text[..<run.lowerBound]
    guard label.contains(where: \.isLetter) else { return false }
    let dots = text[run.lowerBound...].prefix { $0 == "." }.count
    let rest = text[run.upperBound...].drop { $0 == "." }
    guard dots >= 4 || rest.first.map({ $0 != " " }) ?? false else { return false }
    let words = rest.split(separator: " ")
    guard let value = words.first, words.count <= 2 else { return false }
    return isValue(value) && (words.count == 1 || words[1].hasPrefix("("))
  }

  /// `r24=<*> r25=<*>`, `lr:<*> cr:<*>`, `fpr29=<*> <*> <*>`: nothing but short names with
  /// values, and more values.
  private static func isRegisterList(_ text: String) -> Bool {
    let words = text.split(separator: " ")
    guard words.first.map({ !isValue($0) }) ?? false else { return false }
    return words.allSatisfy { word in
      guard let separator = word.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
        return isValue(word)
      }
      let name = word[..<separator]
      let value = word[word.index(after: separator)...]
      return (1...6).contains(name.count) && name.allSatisfy { $0.isLetter || $0.isNumber }
        && isValue(value)
    }
  }

  /// `instruction address: <*>`, `special purpose registers:`: a short label ending in a dump
  /// noun, and one value or none.
  private static func isLabelledValue(_ text: String) -> Bool {
    guard let colon = text.firstIndex(of: ":") else { return false }
    let label = text[..<colon].split(separator: " ")
    let values = text[text.index(after: colon)...].split(separator: " ")
    guard let noun = label.last, (1...4).contains(label.count), values.count <= 1,
      label.allSatisfy({ $0.allSatisfy(\.isLetter) }),
      dumpNouns.contains(noun.lowercased())
    else { return false }
    return values.first.map(isValue) ?? true
  }

  /// A variable part, a number or a hexadecimal value.
  private static func isValue(_ word: Substring) -> Bool {
    if word == "<*>" { return true }
    let digits = word.hasPrefix("0x") || word.hasPrefix("0X") ? word.dropFirst(2) : word
    return !digits.isEmpty && digits.allSatisfy(\.isHexDigit)
  }

  /// Whether `errorText` ends the message (after `:` or `,`), as system error texts do, perhaps
  /// followed by an errno or a closing bracket.
  private static func endsWithErrorText(_ lower: String, _ errorText: String) -> Bool {
    occurrences(of: errorText, in: lower).contains { found in
      let before = lower[..<found.lowerBound].trimmingCharacters(in: .whitespaces)
      guard before.hasSuffix(":") || before.hasSuffix(",") else { return false }
      let after = lower[found.upperBound...].trimmingCharacters(in: .whitespaces)
      return after.isEmpty || after.hasPrefix("(") || after.hasPrefix(")")
        || after.hasPrefix("[") || after == "."
    }
  }

  /// Whether `marker` occurs in `lower` as a word of prose — after a space, before a space or
  /// a full stop, comma, exclamation mark or closing bracket, so not a value such as `<ok>` or
  /// `state=ok` — and not right after a negation ("not completed").
  private static func containsAffirmed(_ lower: String, _ marker: String) -> Bool {
    occurrences(of: marker, in: lower).contains { found in
      let spaceBefore =
        found.lowerBound == lower.startIndex
        || lower[lower.index(before: found.lowerBound)] == " "
      let endAfter =
        found.upperBound == lower.endIndex || " .,!)".contains(lower[found.upperBound])
      guard spaceBefore && endAfter else { return false }
      let previous = lower[..<found.lowerBound].split(separator: " ").last.map(String.init) ?? ""
      return !negations.contains(previous)
    }
  }

  /// Whether `phrase` occurs in `lower` with no letter right before or after it.
  private static func containsWord(_ lower: String, _ phrase: String) -> Bool {
    occurrences(of: phrase, in: lower).contains { found in
      let letterBefore =
        found.lowerBound > lower.startIndex
        && lower[lower.index(before: found.lowerBound)].isLetter
      let letterAfter = found.upperBound < lower.endIndex && lower[found.upperBound].isLetter
      return !letterBefore && !letterAfter
    }
  }

  /// Every place `phrase` occurs in `text`, left to right, not overlapping.
  private static func occurrences(of phrase: String, in text: String) -> [Range<String.Index>] {
    var found: [Range<String.Index>] = []
    var searchStart = text.startIndex
    while let range = text.range(of: phrase, range: searchStart..<text.endIndex) {
      found.append(range)
      searchStart = range.upperBound
    }
    return found
  }
}
