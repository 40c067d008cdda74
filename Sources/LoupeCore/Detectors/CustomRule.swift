import Foundation

/// A rule written by the user in the config's `rules:` list:
///
/// ```yaml
/// rules:
///   - name: payment-declined
///     keywords: ["payment declined", "card rejected"]   # any of them, case-insensitive
///     pattern: 'amount=\d{5,}'                          # a regular expression on the message
///     fields: { status: ">= 500", service: "checkout" } # every condition must hold
///     level: error                                      # the least level
///     severity: high                                    # low, medium, high (default), critical
///     tags: [payments]
///     description: large payment declined
/// ```
///
/// A record matches when every condition given holds. Field conditions are `OP VALUE` with
/// `=`, `!=`, `>`, `>=`, `<`, `<=` (numbers compare as numbers), `~` (contains, any case) or
/// `!~`; a bare value means `=`. The names `message`, `component` and `level` mean the record's
/// own parts.
public struct CustomRule: Sendable, Decodable, Equatable {
  /// The rule's name, shown in reasons.
  public var name: String
  /// Phrases of which the message must hold one (any case).
  public var keywords: [String]?
  /// A regular expression the message must match.
  public var pattern: String?
  /// Conditions on fields, by field name.
  public var fields: [String: String]?
  /// The least level.
  public var level: String?
  /// The severity of a match.
  public var severity: String?
  /// Tags for the findings.
  public var tags: [String]?
  /// What the rule means, shown in reasons.
  public var description: String?

  /// Creates a rule.
  public init(
    name: String, keywords: [String]? = nil, pattern: String? = nil,
    fields: [String: String]? = nil, level: String? = nil, severity: String? = nil,
    tags: [String]? = nil, description: String? = nil
  ) {
    self.name = name
    self.keywords = keywords
    self.pattern = pattern
    self.fields = fields
    self.level = level
    self.severity = severity
    self.tags = tags
    self.description = description
  }

  /// The score a match gives, by severity: critical 0.95, high 0.8, medium 0.65, low 0.52.
  public var score: Double {
    switch severity?.lowercased() ?? "high" {
    case "critical": 0.95
    case "medium": 0.65
    case "low": 0.52
    default: 0.8
    }
  }

  /// Whether the rule only looks at the message (then it can be decided once per template).
  var looksOnlyAtMessage: Bool { (fields ?? [:]).isEmpty && level == nil }

  /// What is wrong with the rule, or `nil` when it can run.
  public var problem: String? {
    if name.isEmpty { return "a rule has no name" }
    if (keywords ?? []).isEmpty && pattern == nil && (fields ?? [:]).isEmpty && level == nil {
      return "rule '\(name)' has no condition (keywords, pattern, fields or level)"
    }
    if let severity, !["low", "medium", "high", "critical"].contains(severity.lowercased()) {
      return "rule '\(name)': severity must be low, medium, high or critical, not '\(severity)'"
    }
    if let level, LogLevel.parse(Array(level.utf8)) == nil {
      return "rule '\(name)': unknown level '\(level)'"
    }
    if let pattern {
      do {
        _ = try NSRegularExpression(pattern: pattern)
      } catch {
        return "rule '\(name)': invalid pattern '\(pattern)'"
      }
    }
    for (field, condition) in fields ?? [:] where FieldCondition(condition) == nil {
      return "rule '\(name)': invalid condition '\(condition)' on field '\(field)'"
    }
    return nil
  }

  /// The longest run of plain characters every match of `pattern` must contain (lower-case),
  /// or `nil` when none of at least 3 characters can be found; used to skip the regular
  /// expression on lines that cannot match.
  static func requiredLiteral(_ pattern: String) -> String? {
    if pattern.contains("|") { return nil }
    var runs: [String] = []
    var current = ""
    let characters = Array(pattern)
    var index = 0
    func finish() {
      if !current.isEmpty { runs.append(current) }
      current = ""
    }
    while index < characters.count {
      let character = characters[index]
      let next = index + 1 < characters.count ? characters[index + 1] : nil
      let optional = next.map { "?*{".contains($0) } ?? false
      if character == "\\" {
        guard let escaped = next else { break }
        if escaped.isLetter || escaped.isNumber {
          finish()
        } else {
          let following = index + 2 < characters.count ? characters[index + 2] : nil
          if following.map({ "?*{".contains($0) }) ?? false {
            finish()
          } else {
            current.append(escaped)
          }
        }
        index += 2
        continue
      }
      if "[](){}.*+?^$".contains(character) {
        finish()
        if character == "[" {
          while index < characters.count, characters[index] != "]" { index += 1 }
        }
        index += 1
        continue
      }
      if optional {
        finish()
      } else {
        current.append(character)
      }
      index += 1
    }
    finish()
    guard let longest = runs.max(by: { $0.count < $1.count }), longest.count >= 3 else {
      return nil
    }
    return longest.lowercased()
  }
}

/// One field condition of a ``CustomRule``: an operator and a value.
struct FieldCondition: Sendable {
  enum Operator: String, Sendable {
    case equal = "="
    case notEqual = "!="
    case greater = ">"
    case greaterOrEqual = ">="
    case less = "<"
    case lessOrEqual = "<="
    case contains = "~"
    case notContains = "!~"
  }

  var op: Operator
  var value: String
  var number: Double?

  /// Parses `OP VALUE` (or a bare value, meaning `=`).
  init?(_ text: String) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let operators: [Operator] = [
      .greaterOrEqual, .lessOrEqual, .notEqual, .notContains, .greater, .less, .contains,
    ]
    var op = Operator.equal
    var rest = Substring(trimmed)
    if trimmed.hasPrefix("==") {
      rest = rest.dropFirst(2)
    } else if let found = operators.first(where: { trimmed.hasPrefix($0.rawValue) }) {
      op = found
      rest = rest.dropFirst(found.rawValue.count)
    } else if trimmed.hasPrefix("=") {
      rest = rest.dropFirst()
    }
    value = rest.trimmingCharacters(in: .whitespaces)
    if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
      value = String(value.dropFirst().dropLast())
    }
    self.op = op
    number = Double(value)
    if [.greater, .greaterOrEqual, .less, .lessOrEqual].contains(op), number == nil { return nil }
  }

  /// Whether `actual` (a field's text, `nil` when the record lacks the field) satisfies it.
  func holds(_ actual: String?) -> Bool {
    guard let actual else { return op == .notEqual || op == .notContains }
    let actualNumber = Double(actual.trimmingCharacters(in: .whitespaces))
    switch op {
    case .equal:
      if let number, let actualNumber { return number == actualNumber }
      return actual.caseInsensitiveCompare(value) == .orderedSame
    case .notEqual:
      if let number, let actualNumber { return number != actualNumber }
      return actual.caseInsensitiveCompare(value) != .orderedSame
    case .contains: return actual.range(of: value, options: .caseInsensitive) != nil
    case .notContains: return actual.range(of: value, options: .caseInsensitive) == nil
    case .greater: return actualNumber.map { $0 > (number ?? 0) } ?? false
    case .greaterOrEqual: return actualNumber.map { $0 >= (number ?? 0) } ?? false
    case .less: return actualNumber.map { $0 < (number ?? 0) } ?? false
    case .lessOrEqual: return actualNumber.map { $0 <= (number ?? 0) } ?? false
    }
  }
}
