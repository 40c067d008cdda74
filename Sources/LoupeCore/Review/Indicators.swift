/// The first workflow step: what a template's records say about themselves — the highest
/// level, the component, the action (the first verb-like word of the template) and error
/// words — given to the model as context and kept in the summary.
public struct Indicators: Sendable, Equatable, Codable {
  /// The highest level among the examples, if any.
  public var severity: String?
  /// The component (or process, or host) of the first example.
  public var component: String?
  /// The first word of the template that reads as an action (`connect`, `failed`, `starting`).
  public var action: String?
  /// Error words found in the template (`error`, `timeout`, `refused`, …).
  public var errorTerms: [String]

  static let errorWords = [
    "error", "fail", "failed", "failure", "fatal", "exception", "timeout", "timed out", "refused",
    "denied", "invalid", "unable", "cannot", "panic", "crash", "killed", "corrupt", "lost",
    "unreachable", "rejected", "overflow", "exceeded", "abort", "critical", "deadlock",
    "out of memory", "segfault", "unavailable",
  ]

  /// Extracts the indicators of a template and its example records' levels and components.
  public init(template: String, levels: [LogLevel?], component: String?) {
    severity = levels.compactMap { $0 }.max()?.name
    self.component = component.flatMap { $0.isEmpty ? nil : $0 }
    let lower = template.lowercased()
    errorTerms = Self.errorWords.filter { word in
      guard let range = lower.range(of: word) else { return false }
      // whole-word-ish: the word is not inside a longer alphabetic run on the left
      if range.lowerBound > lower.startIndex {
        let before = lower[lower.index(before: range.lowerBound)]
        if before.isLetter { return false }
      }
      return true
    }
    action =
      lower.split(whereSeparator: { !$0.isLetter }).map(String.init).first { word in
        word.count > 3
          && (word.hasSuffix("ing") || word.hasSuffix("ed") || Self.verbs.contains(word))
      }
  }

  static let verbs: Set<String> = [
    "connect", "disconnect", "start", "stop", "open", "close", "read", "write", "send", "receive",
    "delete", "create", "update", "login", "logout", "accept", "reject", "allocate", "retry",
    "restart", "shutdown", "load", "save", "commit", "rollback", "deny", "kill",
  ]

  /// One line: `severity=error component=db action=connect error_terms=refused,timeout`.
  public var line: String {
    var parts: [String] = []
    parts.append("severity=\(severity ?? "unknown")")
    parts.append("component=\(component ?? "unknown")")
    parts.append("action=\(action ?? "unknown")")
    parts.append(
      "error_terms=\(errorTerms.isEmpty ? "none" : errorTerms.joined(separator: ","))")
    return parts.joined(separator: " ")
  }
}
