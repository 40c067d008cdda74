import Foundation

/// Analyses every input named on a command line and writes their reports: one set of files
/// per input (stems made unique), plus `loupe_summary.json` when there are several inputs.
public struct BatchAnalysis: Sendable {
  /// One analysed input.
  public struct Outcome: Sendable {
    /// The input's name.
    public var name: String
    /// The stem of its output files.
    public var stem: String
    /// The analysis.
    public var result: AnalysisResult
    /// Its summary.
    public var summary: AnalysisSummary
    /// The files written.
    public var files: [String]
  }

  /// What the whole run did.
  public struct Report: Sendable {
    /// The inputs analysed.
    public var outcomes: [Outcome] = []
    /// Inputs that could not be analysed, and paths skipped, each with the reason.
    public var failures: [InputProblem] = []
    /// The combined summary's path, when several inputs were analysed.
    public var combinedSummary: String?
    /// The template state after the last input, carried from input to input.
    public var templateState: TemplateState?
  }

  /// The options for every input.
  public var options: AnalysisOptions
  /// Where to write.
  public var writer: ReportWriter
  /// What runs after detection: LLM review before the summary, alerts after it.
  public var followUp: (any AnalysisFollowUp)?

  /// Creates a batch.
  public init(options: AnalysisOptions, writer: ReportWriter) {
    self.options = options
    self.writer = writer
  }

  /// Runs the analysis on `arguments` (files, directories, `-`).
  /// - Parameters:
  ///   - arguments: the inputs as given.
  ///   - progress: called after each input, for the caller to print as it goes.
  /// - Returns: the outcomes and failures.
  public func run(_ arguments: [String], progress: (Outcome) -> Void = { _ in }) async -> Report {
    let collection = InputCollector.collect(arguments)
    var report = Report()
    report.failures = collection.skipped
    var analyzer = Analyzer(options: options)
    report.templateState = options.templateState
    var usedStems = Set<String>()
    for (index, location) in collection.inputs.enumerated() {
      options.progress?.startInput(index, of: collection.inputs.count, name: location.displayName)
      do {
        var result = try analyzer.analyze(location)
        analyzer.options.templateState = result.templateState
        report.templateState = result.templateState
        let summary: AnalysisSummary
        if let followUp {
          summary = await followUp.summarize(
            &result, options: options, input: location.displayName)
        } else {
          summary = AnalysisSummary(result, options: options)
        }
        let stem = Self.uniqueStem(for: location, used: &usedStems)
        let files = try writer.write(result, summary: summary, stem: stem)
        let outcome = Outcome(
          name: location.displayName, stem: stem, result: result, summary: summary, files: files)
        progress(outcome)
        report.outcomes.append(outcome)
      } catch let problem as InputProblem {
        report.failures.append(problem)
      } catch {
        report.failures.append(
          InputProblem(
            file: location.displayName,
            message: "cannot write the results: \(error.localizedDescription)"))
      }
    }
    if report.outcomes.count > 1 {
      report.combinedSummary = try? writeCombined(report)
    }
    return report
  }

  /// `app` for `logs/app.log.gz`, `stdin` for `-`; `-2`, `-3`… added when a stem repeats.
  static func uniqueStem(for location: InputLocation, used: inout Set<String>) -> String {
    var base = "stdin"
    if case .file(let path) = location {
      var name = (path as NSString).lastPathComponent
      if name.hasSuffix(".gz") { name = String(name.dropLast(3)) }
      let stripped = (name as NSString).deletingPathExtension
      base = stripped.isEmpty ? name : stripped
    }
    var stem = base
    var counter = 2
    while used.contains(stem) {
      stem = "\(base)-\(counter)"
      counter += 1
    }
    used.insert(stem)
    return stem
  }

  private struct Combined: Codable {
    struct Entry: Codable {
      var input: String
      var stem: String
      var format: String
      var records: Int
      var anomalies: Int
      var severities: [String: Int]
    }
    var loupeVersion: String
    var inputs: [Entry]
    var records: Int
    var anomalies: Int
    var anomalyRate: Double
    var severities: [String: Int]
    var failures: [String]
  }

  private func writeCombined(_ report: Report) throws -> String {
    var severities: [String: Int] = [:]
    for outcome in report.outcomes {
      for (key, value) in outcome.summary.severities { severities[key, default: 0] += value }
    }
    let records = report.outcomes.reduce(0) { $0 + $1.summary.records }
    let anomalies = report.outcomes.reduce(0) { $0 + $1.summary.anomalies }
    let combined = Combined(
      loupeVersion: Loupe.version,
      inputs: report.outcomes.map {
        Combined.Entry(
          input: $0.name, stem: $0.stem, format: $0.summary.format, records: $0.summary.records,
          anomalies: $0.summary.anomalies, severities: $0.summary.severities)
      },
      records: records, anomalies: anomalies,
      anomalyRate: AnalysisSummary.round(Double(anomalies) / Double(max(records, 1))),
      severities: severities, failures: report.failures.map(\.description))
    let path = (writer.directory as NSString).appendingPathComponent("loupe_summary.json")
    try JSONOutput.encode(combined).write(to: URL(fileURLWithPath: path))
    return path
  }
}
