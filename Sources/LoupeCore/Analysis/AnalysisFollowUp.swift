/// Work that runs on each analysis before its files are written, supplied by the caller so
/// that the core stays free of network code: LLM review may adjust the findings before the
/// summary is built; alerts see the final findings and summary.
public protocol AnalysisFollowUp: Sendable {
  /// Reviews the findings of `result`, possibly changing their severities and reasons.
  /// - Returns: what review did, or `nil` when it did not run.
  func review(_ result: inout AnalysisResult, input: String) async -> ReviewSummary?

  /// Raises and delivers the alerts for `result`.
  /// - Returns: what happened to each alert, and problems worth a warning.
  func alert(_ result: AnalysisResult, summary: AnalysisSummary, input: String) async -> (
    [AlertRecord], [String]
  )
}
