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

extension AnalysisFollowUp {
  /// Review, then the summary, then the alerts — the order every caller needs: the summary
  /// counts the reviewed severities, the alerts see the summary. Delivery problems join the
  /// summary's and the result's problems.
  /// - Returns: the summary, with `llm` and `alerts` filled in.
  public func summarize(_ result: inout AnalysisResult, options: AnalysisOptions, input: String)
    async -> AnalysisSummary
  {
    let reviewed = await review(&result, input: input)
    var summary = AnalysisSummary(result, options: options)
    summary.llm = reviewed
    let (alerts, problems) = await alert(result, summary: summary, input: input)
    summary.alerts = alerts
    summary.problems += problems
    result.problems += problems.map { InputProblem(file: input, message: $0) }
    return summary
  }
}
