import Foundation
import LoupeCore
import LoupeStore

/// Why an analysis could not be made, with the HTTP status that says so.
public struct AnalysisFailure: Error, CustomStringConvertible, Sendable {
  /// The status: 400 for bad choices, 422 for input that is not a log, 500 otherwise.
  public var status: Int
  /// The sentence.
  public var description: String
}

/// Runs analyses for the server: reads the input off the event loops (analysis is CPU work),
/// applies the chosen detectors or saved model, runs the follow-up (LLM review, alerts) and
/// stores the result in one transaction.
public struct AnalysisRunner: Sendable {
  /// Where results go.
  public var store: any ResultStore
  /// The analysis settings from the config.
  public var options: AnalysisOptions
  /// LLM review and alerts, when configured.
  public var followUp: (any AnalysisFollowUp)?
  /// The counters.
  public var metrics: ServerMetrics

  /// What to analyse.
  public enum Source: Sendable {
    /// A file on disk (an upload).
    case file(String)
    /// Lines given in a request.
    case lines([String])
  }

  /// Creates a runner.
  public init(
    store: any ResultStore, options: AnalysisOptions, followUp: (any AnalysisFollowUp)?,
    metrics: ServerMetrics
  ) {
    self.store = store
    self.options = options
    self.followUp = followUp
    self.metrics = metrics
  }

  /// The detectors a `model`/`detectors` choice names: `isolation_forest` (the defaults),
  /// `autoencoder` (the defaults with the autoencoder in place of the forest), or a
  /// comma-separated list of Loupe detectors.
  /// - Throws: ``AnalysisFailure`` (400) naming an unknown detector.
  public static func detectors(for choice: String?) throws(AnalysisFailure) -> [String]? {
    guard let choice = choice?.trimmingCharacters(in: .whitespaces), !choice.isEmpty else {
      return nil
    }
    switch choice.lowercased() {
    case "isolation_forest", "iforest", "default": return DetectorCatalog.defaultNames
    case "autoencoder":
      return DetectorCatalog.defaultNames.map { $0 == "iforest" ? "autoencoder" : $0 }
    default:
      let names = choice.split(separator: ",").map {
        String($0).trimmingCharacters(in: .whitespaces).lowercased()
      }
      var known: [String] = []
      for name in names {
        if let detector = DetectorCatalog.detector(named: name) {
          known.append(detector.name)
        } else if SessionAnalysis.detectorNames.contains(name) {
          known.append(name)
        } else {
          throw AnalysisFailure(
            status: 400,
            description:
              "unknown detector '\(name)'; use isolation_forest, autoencoder or a list of \(DetectorCatalog.names.joined(separator: ", "))"
          )
        }
      }
      return known
    }
  }

  /// Analyses `source` and stores the result.
  /// - Parameters:
  ///   - source: the upload or the lines.
  ///   - name: the input's name to show (never used as a path).
  ///   - owner: whose analysis it is.
  ///   - detectors: the detectors, or `nil` for the configured ones.
  ///   - modelName: a stored model to judge with.
  ///   - id: the analysis id (default: new).
  /// - Returns: the stored analysis.
  /// - Throws: ``AnalysisFailure``.
  public func run(
    _ source: Source, name: String, owner: String, detectors: [String]?, modelName: String?,
    id: String = UUID().uuidString.lowercased()
  ) async throws(AnalysisFailure) -> StoredAnalysis {
    try await runKeepingTemplates(
      source, name: name, owner: owner, detectors: detectors, modelName: modelName,
      templates: nil, id: id
    ).analysis
  }

  /// ``run(_:name:owner:detectors:modelName:id:)`` starting from known templates, returning
  /// the templates after the run too (for streams analysed pass after pass).
  public func runKeepingTemplates(
    _ source: Source, name: String, owner: String, detectors: [String]?, modelName: String?,
    templates: TemplateState?, id: String = UUID().uuidString.lowercased()
  ) async throws(AnalysisFailure) -> (analysis: StoredAnalysis, templates: TemplateState) {
    var options = self.options
    if let templates { options.templateState = templates }
    if let detectors { options.detectors = detectors }
    if let modelName {
      let body: String?
      do { body = try await store.model(name: modelName) } catch {
        throw AnalysisFailure(status: 500, description: "cannot read the models: \(error)")
      }
      guard let body else {
        throw AnalysisFailure(status: 400, description: "no saved model named '\(modelName)'")
      }
      do {
        let model = try LoupeModel.decode(Data(body.utf8), name: modelName)
        options.model = model
        options.templateState = model.templates
        if options.sessions == nil { options.sessions = model.settings.sessionSpec }
      } catch {
        throw AnalysisFailure(status: 400, description: error.description)
      }
    }
    let analysisOptions = options
    let outcome: Result<AnalysisResult, InputProblem> = await offload {
      let analyzer = Analyzer(options: analysisOptions)
      do throws(InputProblem) {
        switch source {
        case .file(let path):
          var result = try analyzer.analyze(.file(path))
          result.read.buffer = result.read.buffer.renamed(name)
          return .success(result)
        case .lines(let lines):
          let text = lines.joined(separator: "\n") + "\n"
          return .success(
            try analyzer.analyze(SourceBuffer(name: name, bytes: Array(text.utf8))))
        }
      } catch let problem {
        return .failure(problem)
      }
    }
    var result: AnalysisResult
    switch outcome {
    case .success(let value): result = value
    case .failure(var problem):
      // The upload's path on the server is nobody's business: name the input as the user did.
      problem.file = name
      throw AnalysisFailure(status: 422, description: problem.description)
    }
    let summary: AnalysisSummary
    if let followUp {
      summary = await followUp.summarize(&result, options: options, input: name)
    } else {
      summary = AnalysisSummary(result, options: options)
    }
    let config = Self.configJSON(options: options, modelName: modelName)
    let record: AnalysisRecord
    do {
      record = try AnalysisRecord(
        result: result, summary: summary, owner: owner, inputName: name, config: config, id: id)
      try await store.save(record)
    } catch {
      throw AnalysisFailure(status: 500, description: "cannot store the analysis: \(error)")
    }
    metrics.analysed(
      findings: Dictionary(grouping: result.findings, by: \.severity).mapValues(\.count),
      seconds: result.seconds)
    return (record.analysis, result.templateState)
  }

  /// The settings an analysis ran with, as JSON: the detectors and the model.
  static func configJSON(options: AnalysisOptions, modelName: String?) -> String {
    var object: [String: Any] = ["detectors": options.detectors]
    if let modelName { object["model"] = modelName }
    if let spec = options.sessions { object["sessions"] = "\(spec)" }
    let data =
      (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }
}

/// Runs CPU-bound work on a Dispatch queue, off the cooperative pool and the event loops.
func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
  await withCheckedContinuation { continuation in
    DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
  }
}
