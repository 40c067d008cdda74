import Foundation
import LoupeCore

/// Runs LLM review on an analysis: one call per template among the findings (cached on
/// disk by template, prompt and model, capped by `max_calls`), calls in flight limited by
/// `concurrency`, each retried with exponential backoff and jitter; verdicts are applied
/// within ``ReviewApplication``'s bounds and failures recorded, never fatal.
public struct LLMReviewer: Sendable {
  /// The settings.
  public var settings: ReviewSettings
  /// The model.
  public var provider: any LLMProvider

  /// Creates a reviewer.
  public init(settings: ReviewSettings, provider: any LLMProvider) {
    self.settings = settings
    self.provider = provider
  }

  /// The provider the settings name; the OpenAI key comes from the environment.
  public static func provider(
    for settings: ReviewSettings,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> any LLMProvider {
    switch settings.provider {
    case .ollama:
      OllamaProvider(baseURL: settings.baseURL, model: settings.model, timeout: settings.timeout)
    case .openai:
      OpenAIProvider(
        baseURL: settings.baseURL, model: settings.model,
        apiKey: environment[settings.apiKeyEnvironment].flatMap { $0.isEmpty ? nil : $0 },
        timeout: settings.timeout)
    }
  }

  private struct Outcome: Sendable {
    var index: Int
    var verdict: ReviewVerdict?
    var calls = 0
    var promptTokens: Int?
    var completionTokens: Int?
    var error: String?
  }

  /// Reviews `result`'s findings in place.
  /// - Returns: what review did.
  public func review(_ result: inout AnalysisResult) async -> ReviewSummary {
    let started = Date()
    var summary = ReviewSummary(
      provider: settings.provider.rawValue, model: settings.model, endpoint: settings.baseURL)
    let requests = ReviewPlan.requests(for: result, settings: settings)
    summary.templates = requests.count
    var cache = ReviewCache(path: settings.resolvedCacheFile)
    if let problem = cache.problem { summary.errors.append(problem) }
    var verdicts: [Int: ReviewVerdict] = [:]
    var toAsk: [Int] = []
    for (index, request) in requests.enumerated() {
      if let cached = cache.verdict(for: request.cacheKey) {
        verdicts[index] = cached
        summary.cacheHits += 1
      } else if toAsk.count < settings.maxCalls {
        toAsk.append(index)
      } else {
        summary.skippedByCap += 1
      }
    }
    let outcomes = await ask(toAsk, requests)
    for outcome in outcomes.sorted(by: { $0.index < $1.index }) {
      summary.calls += outcome.calls
      summary.retries += max(0, outcome.calls - 1)
      if let tokens = outcome.promptTokens {
        summary.promptTokens = (summary.promptTokens ?? 0) + tokens
      }
      if let tokens = outcome.completionTokens {
        summary.completionTokens = (summary.completionTokens ?? 0) + tokens
      }
      if let verdict = outcome.verdict {
        verdicts[outcome.index] = verdict
        let request = requests[outcome.index]
        cache.store(
          verdict, key: request.cacheKey, model: settings.model, template: request.template)
      } else {
        summary.failures += 1
        if summary.errors.count < 5, let error = outcome.error {
          summary.errors.append("template \(requests[outcome.index].templateId): \(error)")
        }
      }
    }
    for (index, verdict) in verdicts.sorted(by: { $0.key < $1.key }) {
      let (raised, lowered) = ReviewApplication.apply(
        verdict, to: requests[index], findings: &result.findings,
        maxChange: settings.maxSeverityChange)
      summary.raised += raised
      summary.lowered += lowered
      summary.verdicts[verdict.anomalous ? "anomaly" : "normal", default: 0] += 1
    }
    summary.reviewed = verdicts.count
    if !outcomes.isEmpty {
      do { try cache.save() } catch {
        summary.errors.append(
          "\(cache.path): the cache cannot be written: \(error.localizedDescription)")
      }
    }
    summary.seconds = AnalysisSummary.round(Date().timeIntervalSince(started))
    return summary
  }

  /// Asks for `indices` with at most `concurrency` calls in flight.
  private func ask(_ indices: [Int], _ requests: [ReviewRequest]) async -> [Outcome] {
    await withTaskGroup(of: Outcome.self) { group in
      var outcomes: [Outcome] = []
      var next = 0
      func start() {
        guard next < indices.count else { return }
        let index = indices[next]
        let prompt = requests[index].prompt
        next += 1
        group.addTask { await self.call(index: index, prompt: prompt) }
      }
      for _ in 0..<min(settings.concurrency, indices.count) { start() }
      while let outcome = await group.next() {
        outcomes.append(outcome)
        start()
      }
      return outcomes
    }
  }

  /// One template's call, retried as the policy allows. An answer that cannot be read is a
  /// failure, not retried (the same prompt at temperature 0 gives the same answer).
  private func call(index: Int, prompt: String) async -> Outcome {
    var outcome = Outcome(index: index)
    var generator = SystemRandomNumberGenerator()
    for attempt in 1...settings.retry.maxAttempts {
      outcome.calls += 1
      do {
        let answer = try await provider.complete(prompt)
        if let tokens = answer.promptTokens {
          outcome.promptTokens = (outcome.promptTokens ?? 0) + tokens
        }
        if let tokens = answer.completionTokens {
          outcome.completionTokens = (outcome.completionTokens ?? 0) + tokens
        }
        guard let verdict = ReviewVerdict.parse(answer.text) else {
          outcome.error = "the answer has no classification: \(answer.text.prefix(80))"
          return outcome
        }
        outcome.verdict = verdict
        return outcome
      } catch let failure as LLMFailure {
        outcome.error = failure.description
        guard failure.retryable, attempt < settings.retry.maxAttempts else { return outcome }
      } catch {
        outcome.error = "\(error)"
        return outcome
      }
      let wait = settings.retry.delay(
        after: attempt, random: Double.random(in: 0..<1, using: &generator))
      try? await Task.sleep(for: .milliseconds(Int(wait * 1000)))
    }
    return outcome
  }
}
