import Foundation
import LoupeCore

/// What `loupe analyze` runs after detection when alerts or LLM review are configured: the
/// review (before the summary) and the alerts (after it).
public struct ConnectedFollowUp: AnalysisFollowUp {
  /// The reviewer; `nil`: no review.
  public var reviewer: LLMReviewer?
  /// The alert rules.
  public var rules: [AlertRule]
  /// The dispatcher; `nil`: no alerts.
  public var dispatcher: AlertDispatcher?
  /// One dispatch at a time, so that analyses running side by side (the server) read and
  /// write the cool-down state in turn.
  private let gate = AsyncLock()

  /// Creates the follow-up.
  public init(reviewer: LLMReviewer?, rules: [AlertRule], dispatcher: AlertDispatcher?) {
    self.reviewer = reviewer
    self.rules = rules
    self.dispatcher = dispatcher
  }

  /// Runs LLM review when configured.
  public func review(_ result: inout AnalysisResult, input: String) async -> ReviewSummary? {
    guard let reviewer else { return nil }
    return await reviewer.review(&result)
  }

  /// Raises and delivers the alerts.
  public func alert(_ result: AnalysisResult, summary: AnalysisSummary, input: String) async -> (
    [AlertRecord], [String]
  ) {
    guard let dispatcher, !rules.isEmpty else { return ([], []) }
    let alerts = AlertEvaluator.alerts(for: rules, result: result, input: input)
    let (records, problem) = await gate.withLock { await dispatcher.dispatch(alerts) }
    var problems = problem.map { [$0] } ?? []
    for record in records {
      for delivery in record.deliveries where delivery.status == "failed" {
        problems.append(
          "alert '\(record.rule)' to \(delivery.sink) failed: \(delivery.detail ?? "")")
      }
    }
    return (records, problems)
  }
}
