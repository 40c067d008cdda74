/// What LLM review did in a run, for the summary's `llm` section.
public struct ReviewSummary: Sendable, Codable, Equatable {
  /// The provider.
  public var provider: String
  /// The model.
  public var model: String
  /// The base URL called.
  public var endpoint: String
  /// Templates among the findings that qualified for review.
  public var templates: Int
  /// Templates with a verdict (answered or cached).
  public var reviewed: Int
  /// Calls made (retries included).
  public var calls: Int
  /// Templates answered from the cache.
  public var cacheHits: Int
  /// Templates left out because of `max_calls`.
  public var skippedByCap: Int
  /// Templates whose review failed (after retries).
  public var failures: Int
  /// Retries made.
  public var retries: Int
  /// Prompt tokens, when the provider reports them.
  public var promptTokens: Int?
  /// Completion tokens, when the provider reports them.
  public var completionTokens: Int?
  /// Seconds spent in review.
  public var seconds: Double
  /// Verdicts by kind (`anomaly`, `normal`).
  public var verdicts: [String: Int]
  /// Findings whose severity went up.
  public var raised: Int
  /// Findings whose severity went down.
  public var lowered: Int
  /// The first few failures, one sentence each.
  public var errors: [String]

  enum CodingKeys: String, CodingKey {
    case provider, model, endpoint, templates, reviewed, calls, failures, retries, seconds
    case verdicts, raised, lowered, errors
    case cacheHits = "cache_hits"
    case skippedByCap = "skipped_by_cap"
    case promptTokens = "prompt_tokens"
    case completionTokens = "completion_tokens"
  }

  /// An empty summary for a provider and model.
  public init(provider: String, model: String, endpoint: String) {
    self.provider = provider
    self.model = model
    self.endpoint = endpoint
    templates = 0
    reviewed = 0
    calls = 0
    cacheHits = 0
    skippedByCap = 0
    failures = 0
    retries = 0
    seconds = 0
    verdicts = [:]
    raised = 0
    lowered = 0
    errors = []
  }
}

/// The last workflow step: applies verdicts to findings within documented bounds. An
/// `anomaly` answer raises a finding's severity by at most `maxChange` levels, a `normal` one
/// lowers it by at most as many; a finding is never removed and its score is kept. The reason
/// gains `llm: anomaly — REASON` and the tags the model's tags.
public enum ReviewApplication {
  /// Applies `verdict` to the findings of `request`.
  /// - Returns: how many findings went up and down.
  public static func apply(
    _ verdict: ReviewVerdict, to request: ReviewRequest, findings: inout [Finding], maxChange: Int
  ) -> (raised: Int, lowered: Int) {
    var raised = 0
    var lowered = 0
    let levels = Severity.allCases
    for index in request.findings where findings.indices.contains(index) {
      var finding = findings[index]
      if let position = levels.firstIndex(of: finding.severity) {
        let target =
          verdict.anomalous
          ? min(levels.count - 1, position + maxChange) : max(0, position - maxChange)
        if target > position { raised += 1 }
        if target < position { lowered += 1 }
        finding.severity = levels[target]
      }
      let label = verdict.anomalous ? "anomaly" : "normal"
      finding.reason += " | llm: \(label)" + (verdict.reason.isEmpty ? "" : " — \(verdict.reason)")
      for tag in verdict.tags where !finding.tags.contains(tag) { finding.tags.append(tag) }
      findings[index] = finding
    }
    return (raised, lowered)
  }
}
