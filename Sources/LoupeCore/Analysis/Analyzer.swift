import Foundation

/// The result of analysing one input: its records, templates, detector reports and findings.
public struct AnalysisResult: Sendable {
  /// What was read.
  public var read: ReadResult
  /// The templates and each record's template.
  public var templates: TemplateMiner.Result
  /// The feature matrix the statistical detectors saw.
  public var features: FeatureMatrix
  /// Each detector's report, in run order.
  public var reports: [DetectorReport]
  /// The findings, by line.
  public var findings: [Finding]
  /// Problems met while reading (partial problems; the run went on).
  public var problems: [InputProblem]
  /// The template state after this input (the given state plus what this input taught).
  public var templateState: TemplateState
  /// How template mining went.
  public var mining: MiningReport
  /// Session- or window-level results, when records were grouped.
  public var sessions: SessionAnalysis?
  /// Seconds the analysis took.
  public var seconds: Double = 0
}

/// Runs the pipeline on one input: Input → Records → Templates → Features → Detectors →
/// Scoring.
public struct Analyzer: Sendable {
  /// The run's options.
  public var options: AnalysisOptions

  /// Creates an analyzer.
  public init(options: AnalysisOptions) { self.options = options }

  /// Reads and analyses one input.
  /// - Parameter location: the file or standard input.
  /// - Returns: the analysis.
  /// - Throws: ``InputProblem`` when the input cannot be analysed at all (missing, binary,
  ///   empty, unreadable).
  public func analyze(_ location: InputLocation) throws(InputProblem) -> AnalysisResult {
    let started = Date()
    let (buffer, readProblem) = try InputReader.read(location)
    var readOptions = options.read
    if readOptions.defaultYear == nil { readOptions.defaultYear = Self.defaultYear(for: location) }
    var result = try analyze(buffer, readOptions: readOptions, readProblem: readProblem)
    result.seconds = Date().timeIntervalSince(started)
    return result
  }

  /// Analyses bytes already in memory.
  /// - Parameters:
  ///   - buffer: the input.
  ///   - readOptions: how to read it (defaults to the analyzer's).
  ///   - readProblem: a problem met while reading the bytes, reported with the others.
  /// - Returns: the analysis.
  /// - Throws: ``InputProblem`` when the input holds no records.
  public func analyze(
    _ buffer: SourceBuffer, readOptions: ReadOptions? = nil, readProblem: InputProblem? = nil
  ) throws(InputProblem) -> AnalysisResult {
    guard !buffer.bytes.isEmpty else {
      throw InputProblem(file: buffer.name, message: readProblem?.message ?? "the input is empty")
    }
    let read = try RecordReader.read(buffer, options: readOptions ?? options.read)
    guard !read.records.isEmpty else {
      throw InputProblem(
        file: buffer.name, message: Self.noRecords(read))
    }
    options.progress?.reach("mining templates", 0.3)
    let (templates, templateState, mining) = mineTemplates(read)
    options.progress?.reach(
      options.sessions == nil ? "running detectors" : "running detectors, judging sessions", 0.45)
    let strands = runStrands(read, templates: templates)
    var problems = read.problems
    if let readProblem { problems.insert(readProblem, at: 0) }
    let sessions = try strands.sessions.get()
    options.progress?.reach("writing results", 0.92)
    return AnalysisResult(
      read: read, templates: templates, features: strands.features, reports: strands.reports,
      findings: Scorer.combine(strands.reports, thresholds: options.severityThresholds),
      problems: problems, templateState: templateState, mining: mining, sessions: sessions)
  }

  /// Why an input gave no record: it holds only blank lines, or only comments and a header
  /// (a CSV header, W3C or Zeek directives).
  static func noRecords(_ read: ReadResult) -> String {
    read.audit == nil
      ? "the input holds no log lines (only blank lines)"
      : "the input holds no log records (only a header, comments or blank lines)"
  }

  /// What the independent strands of an analysis produce.
  struct Strands: Sendable {
    var features: FeatureMatrix
    var reports: [DetectorReport]
    var sessions: Result<SessionAnalysis?, InputProblem>
  }

  /// Runs the three independent strands of an analysis side by side, one per core where there
  /// are cores: the feature matrix and the statistical detectors that read it; the other record
  /// detectors; and the sessions. Each strand is deterministic, and the reports keep the
  /// detectors' order, so the result does not depend on which strand finishes first.
  func runStrands(_ read: ReadResult, templates: TemplateMiner.Result) -> Strands {
    let statisticalNames: Set<String> = ["iforest", "lof", "autoencoder"]
    let detectors = options.detectors.compactMap { DetectorCatalog.detector(named: $0) }
    let statistical = detectors.filter { statisticalNames.contains($0.name) }
    let others = detectors.filter { !statisticalNames.contains($0.name) }
    let options = options
    // Both strands share what the detectors derive from the input.
    let cache = DetectionCache()
    @Sendable func input(_ features: FeatureMatrix) -> DetectionInput {
      DetectionInput(
        records: read.records, buffer: read.buffer, templates: templates, features: features,
        seed: options.seed, contamination: options.contamination,
        customRules: options.customRules, ruleLimits: options.ruleLimits, model: options.model,
        tabular: read.audit != nil, headerFields: read.fieldsAreHeaderParts, cache: cache)
    }
    @Sendable func run(_ detector: any Detector, _ input: DetectionInput) -> DetectorReport {
      var report = detector.detect(input)
      report.parameters["severity_thresholds"] =
        SeverityThresholds.forDetector(report.name, overrides: options.severityThresholds)
        .summary
      return report
    }
    enum Outcome: Sendable {
      case statistical(FeatureMatrix, [DetectorReport])
      case others([DetectorReport])
      case sessions(Result<SessionAnalysis?, InputProblem>)
    }
    let outcomes = Parallel.map(3) { strand -> Outcome in
      switch strand {
      case 0:
        // Only the statistical detectors read the feature matrix.
        let features =
          statistical.isEmpty
          ? FeatureMatrix(columns: [], values: [], rowCount: read.records.count)
          : RecordFeatures.build(
            read.records, buffer: read.buffer, templates: templates,
            numericFields: read.audit?.numericColumns,
            parameterValues: cache.parameterValues {
              ParameterDeviation.values(read.records, buffer: read.buffer, templates: templates)
            })
        let shared = input(features)
        return .statistical(features, statistical.map { run($0, shared) })
      case 1:
        let shared = input(FeatureMatrix(columns: [], values: [], rowCount: read.records.count))
        return .others(others.map { run($0, shared) })
      default:
        guard let spec = options.sessions else { return .sessions(.success(nil)) }
        do throws(InputProblem) {
          return .sessions(.success(try analyzeSessions(read, templates: templates, spec: spec)))
        } catch {
          return .sessions(.failure(error))
        }
      }
    }
    var strands = Strands(
      features: FeatureMatrix(columns: [], values: [], rowCount: read.records.count),
      reports: [], sessions: .success(nil))
    var byName: [String: DetectorReport] = [:]
    for outcome in outcomes {
      switch outcome {
      case .statistical(let features, let reports):
        strands.features = features
        for report in reports { byName[report.name] = report }
      case .others(let reports):
        for report in reports { byName[report.name] = report }
      case .sessions(let result):
        strands.sessions = result
      }
    }
    strands.reports = detectors.compactMap { byName[$0.name] }
    return strands
  }

  /// Groups the records and runs the session detectors.
  func analyzeSessions(_ read: ReadResult, templates: TemplateMiner.Result, spec: SessionSpec)
    throws(InputProblem) -> SessionAnalysis
  {
    let grouped = try SessionGrouper.group(read, spec: spec)
    let events = SessionAnalysis.Events(
      assignments: templates.assignments, ids: templates.templates.map(\.id),
      texts: templates.templates.map(\.text), levels: read.records.map(\.level))
    if let models = options.model?.sessions {
      return SessionAnalysis.judge(
        sessions: grouped, models: models,
        detectors: options.detectors.filter { SessionAnalysis.detectorNames.contains($0) },
        fittedOnThem: false, spec: spec, events: events,
        contamination: options.contamination, thresholds: options.severityThresholds)
    }
    var judged = grouped
    var training: [Session]?
    if let split = options.sessionSplit {
      (training, judged) = split.apply(grouped, seed: options.seed)
    }
    return SessionAnalysis.run(
      sessions: judged, training: training, spec: spec, events: events,
      detectors: options.detectors.filter { SessionAnalysis.detectorNames.contains($0) },
      seed: options.seed, contamination: options.contamination, tfidf: options.sessionTFIDF,
      cleanTraining: !(options.sessionSplit?.knownAnomalies.isEmpty ?? true),
      thresholds: options.severityThresholds)
  }

  /// Reads one input and mines its templates, without running detectors (`loupe parse`).
  /// - Parameter location: the file or standard input.
  /// - Returns: the records, their templates, the updated template state and the mining report.
  /// - Throws: ``InputProblem`` when the input cannot be read or holds no records.
  public func parse(_ location: InputLocation) throws(InputProblem) -> (
    ReadResult, TemplateMiner.Result, TemplateState, MiningReport
  ) {
    let (buffer, _) = try InputReader.read(location)
    var readOptions = options.read
    if readOptions.defaultYear == nil { readOptions.defaultYear = Self.defaultYear(for: location) }
    guard !buffer.bytes.isEmpty else {
      throw InputProblem(file: buffer.name, message: "the input is empty")
    }
    let read = try RecordReader.read(buffer, options: readOptions)
    guard !read.records.isEmpty else {
      throw InputProblem(
        file: buffer.name, message: Self.noRecords(read))
    }
    let (templates, state, report) = mineTemplates(read)
    return (read, templates, state, report)
  }

  /// Mines in batch or stream mode, as the options say.
  func mineTemplates(_ read: ReadResult) -> (TemplateMiner.Result, TemplateState, MiningReport) {
    let miner = TemplateMiner()
    if options.streamingTemplates {
      return miner.mineStreaming(
        read.records, in: read.buffer, state: options.templateState,
        maximumGroups: options.maximumTemplates)
    }
    let (templates, state) = miner.mine(read.records, in: read.buffer, state: options.templateState)
    return (templates, state, MiningReport(mode: "batch", maxTemplates: nil, evicted: 0))
  }

  /// The year assumed for year-less timestamps: the file's modification year (so that a
  /// syslog file from last December reads as last year), or the current year for stdin.
  static func defaultYear(for location: InputLocation) -> Int {
    var date = Date()
    if case .file(let path) = location,
      let modified = try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate]
        as? Date
    {
      date = modified
    }
    return TimestampParser.year(of: date.timeIntervalSince1970)
  }
}
