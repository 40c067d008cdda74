import Foundation

/// What to ask: one request per template among the findings (at or above the review's least
/// severity), highest-scoring templates first, each with a few example lines and context.
/// Every piece of log text is redacted here, before it can leave the machine.
public struct ReviewRequest: Sendable, Equatable {
  /// The template's id.
  public var templateId: String
  /// The template's text, redacted.
  public var template: String
  /// The findings (indices into the result's findings) this answer applies to.
  public var findings: [Int]
  /// The indicators of the first step.
  public var indicators: Indicators
  /// The filled prompt.
  public var prompt: String
  /// The cache key.
  public var cacheKey: String
}

/// Builds the review requests for a result.
public enum ReviewPlan {
  /// The requests for `result` under `settings`, highest-scoring template first.
  public static func requests(for result: AnalysisResult, settings: ReviewSettings)
    -> [ReviewRequest]
  {
    var byTemplate: [Int: [Int]] = [:]
    for (index, finding) in result.findings.enumerated()
    where finding.severity >= settings.minSeverity {
      byTemplate[result.templates.assignments[finding.record], default: []].append(index)
    }
    let ordered = byTemplate.sorted { lhs, rhs in
      let left = lhs.value.map { result.findings[$0].score }.max() ?? 0
      let right = rhs.value.map { result.findings[$0].score }.max() ?? 0
      return (left, rhs.key) > (right, lhs.key)
    }
    let promptText = settings.customTemplate ?? ReviewPrompt.builtIn[settings.promptTemplate] ?? ""
    return ordered.map { templateIndex, findingIndices in
      let template = result.templates.templates[templateIndex]
      let redactedTemplate = SecretScanner.redact(template.text)
      let top = findingIndices.sorted {
        result.findings[$0].score > result.findings[$1].score
      }.prefix(settings.examples)
      let records = top.map { result.read.records[result.findings[$0].record] }
      let examples = records.map { record in
        "line \(record.line): "
          + clip(FieldMessage.shownText(record, result.read.buffer, whole: true))
      }
      let first = records.first
      let indicators = Indicators(
        template: template.text, levels: records.map(\.level),
        component: first.flatMap { $0.component ?? $0.process }.map {
          SecretScanner.redact(result.read.buffer.string($0))
        })
      let context = contextLines(
        result: result, template: template.count, findings: findingIndices, indicators: indicators,
        firstRecord: top.first.map { result.findings[$0].record })
      let prompt = ReviewPrompt.fill(
        promptText, eventTemplate: redactedTemplate, examples: examples, context: context)
      return ReviewRequest(
        templateId: template.id, template: redactedTemplate, findings: findingIndices,
        indicators: indicators, prompt: prompt,
        cacheKey: ReviewCache.key(
          provider: settings.provider.rawValue, model: settings.model, prompt: prompt))
    }
  }

  /// The context: how common the template is, what the detectors said, the indicators, and
  /// the two records before the first example.
  private static func contextLines(
    result: AnalysisResult, template count: Int, findings: [Int], indicators: Indicators,
    firstRecord: Int?
  ) -> String {
    let detectors = Set(findings.flatMap { result.findings[$0].detectors }).sorted()
    var lines = [
      "- the template occurs \(count) times in \(result.read.records.count) records; \(findings.count) of them were flagged",
      "- detectors: \(detectors.joined(separator: ", "))",
      "- indicators: \(indicators.line)",
    ]
    if let reason = findings.first.map({ result.findings[$0].reason }) {
      lines.append("- detector reason: " + clip(SecretScanner.redact(reason)))
    }
    if let firstRecord, firstRecord > 0 {
      let before = result.read.records[max(0, firstRecord - 2)..<firstRecord].map {
        "line \($0.line): " + clip(FieldMessage.shownText($0, result.read.buffer, whole: true))
      }
      lines.append(
        "- lines before the first example:\n" + ReviewPrompt.quote(before.joined(separator: "\n")))
    }
    return lines.joined(separator: "\n")
  }

  private static func clip(_ text: String) -> String {
    text.count > 400 ? String(text.prefix(400)) + "…" : text
  }
}
