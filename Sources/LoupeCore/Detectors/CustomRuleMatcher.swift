import Foundation

/// Applies the user's ``CustomRule``s to records.
///
/// A rule that only looks at the message is decided once per template when the template has
/// no variable part (every record of it then has the same words); a keyword found in a
/// template's fixed text matches all its records. Otherwise the message is searched per record:
/// keywords by plain byte search, and a pattern only on lines that hold its required literal
/// (see ``CustomRule/requiredLiteral(_:)``), so the regular expression rarely runs. Where the
/// message was made from the record's fields (``FieldMessage``), the whole record is searched.
struct CustomRuleMatcher {
  struct Compiled {
    var rule: CustomRule
    var keywords: [[UInt8]]
    var expression: NSRegularExpression?
    var literal: [UInt8]?
    var conditions: [(lookup: FieldLookup, condition: FieldCondition)]
    var minimumLevel: LogLevel?
  }

  var compiled: [Compiled]
  /// Per rule, per template: the verdict when it is the same for every record of the template.
  var templateVerdicts: [[Bool?]]

  init(_ rules: [CustomRule], templates: TemplateMiner.Result) {
    compiled = rules.filter { $0.problem == nil }.map { rule in
      Compiled(
        rule: rule,
        keywords: (rule.keywords ?? []).filter { !$0.isEmpty }.map { Array($0.lowercased().utf8) },
        expression: rule.pattern.flatMap { try? NSRegularExpression(pattern: $0) },
        literal: rule.pattern.flatMap(CustomRule.requiredLiteral).map { Array($0.utf8) },
        conditions: (rule.fields ?? [:]).sorted { $0.key < $1.key }.compactMap { name, text in
          FieldCondition(text).map { (FieldLookup(name), $0) }
        },
        minimumLevel: rule.level.flatMap { LogLevel.parse(Array($0.utf8)) })
    }
    templateVerdicts = compiled.map { rule in
      templates.templates.indices.map { index in
        Self.templateVerdict(rule, templates.templates[index].text, templates.tokenPatterns[index])
      }
    }
  }

  /// The verdict for every record of a template, when the template alone decides it.
  private static func templateVerdict(_ rule: Compiled, _ text: String, _ tokens: [UInt64?])
    -> Bool?
  {
    guard rule.rule.looksOnlyAtMessage else { return nil }
    let lower = Array(text.lowercased().utf8)
    let hasVariables = tokens.contains(nil)
    let keywordInText = lower.withUnsafeBufferPointer { bytes in
      rule.keywords.contains { RuleCatalog.contains(bytes, ByteSpan(0, bytes.count), $0) }
    }
    if rule.expression == nil {
      if keywordInText { return true }
      return hasVariables ? nil : false
    }
    guard !hasVariables else { return nil }
    if !rule.keywords.isEmpty && !keywordInText { return false }
    return matchesPattern(rule, text)
  }

  private static func matchesPattern(_ rule: Compiled, _ text: String) -> Bool {
    guard let expression = rule.expression else { return true }
    let range = NSRange(text.startIndex..<text.endIndex, in: text)
    return expression.firstMatch(in: text, range: range) != nil
  }

  /// The rules `record` matches.
  mutating func matches(
    _ record: LogRecord, template: Int, buffer: SourceBuffer, bytes: UnsafeBufferPointer<UInt8>
  ) -> [CustomRule] {
    var matched: [CustomRule] = []
    // A message made from the record's fields leaves some out: the rules search the whole record.
    let madeMessage = buffer.isSynthesized(record.message)
    for index in compiled.indices {
      if !madeMessage, let verdict = templateVerdicts[index][template] {
        if verdict { matched.append(compiled[index].rule) }
        continue
      }
      if recordMatches(index, record, buffer: buffer, bytes: bytes) {
        matched.append(compiled[index].rule)
      }
    }
    return matched
  }

  private mutating func recordMatches(
    _ index: Int, _ record: LogRecord, buffer: SourceBuffer, bytes: UnsafeBufferPointer<UInt8>
  ) -> Bool {
    let rule = compiled[index]
    if let minimum = rule.minimumLevel {
      guard let level = record.level, level >= minimum else { return false }
    }
    for position in rule.conditions.indices {
      let condition = compiled[index].conditions[position].condition
      let actual: String?
      switch compiled[index].conditions[position].lookup.name {
      case "message": actual = buffer.string(record.message)
      case "component": actual = record.component.map { buffer.string($0) }
      case "level": actual = record.level?.name
      default:
        actual = compiled[index].conditions[position].lookup.value(in: record).map {
          buffer.string($0)
        }
      }
      guard condition.holds(actual) else { return false }
    }
    let searched = FieldMessage.recordText(record, buffer)
    let message = searched.span
    if !rule.keywords.isEmpty,
      !rule.keywords.contains(where: { RuleCatalog.contains(bytes, message, $0) })
    {
      return false
    }
    if rule.expression != nil {
      if let literal = rule.literal, !RuleCatalog.contains(bytes, message, literal) { return false }
      return Self.matchesPattern(rule, buffer.string(searched))
    }
    return true
  }
}
