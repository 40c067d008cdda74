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
        file: buffer.name, message: "the input holds no log lines (only blank lines)")
    }
    options.progress?.reach("mining templates", 0.3)
    let (templates, templateState, mining) = mineTemplates(read)
    options.progress?.reach("building features", 0.45)
    // Only the statistical detectors read the feature matrix.
    let needsFeatures = options.detectors.contains {
      ["iforest", "lof", "autoencoder"].contains($0)
    }
    let features =
      needsFeatures
      ? RecordFeatures.build(
        read.records, buffer: read.buffer, templates: templates,
        numericFields: read.audit?.numericColumns)
      : FeatureMatrix(columns: [], values: [], rowCount: read.records.count)
    let input = DetectionInput(
      records: read.records, buffer: read.buffer, templates: templates, features: features,
      seed: options.seed, contamination: options.contamination, customRules: options.customRules,
      ruleLimits: options.ruleLimits, model: options.model)
    let detectors = options.detectors.compactMap { DetectorCatalog.detector(named: $0) }
    let reports = detectors.enumerated().map { index, detector in
      options.progress?.reach(
        "running \(detector.name)", 0.5 + 0.35 * Double(index) / Double(max(detectors.count, 1)))
      var report = detector.detect(input)
      report.parameters["severity_thresholds"] =
        SeverityThresholds.forDetector(report.name, overrides: options.severityThresholds)
        .summary
      return report
    }
    var problems = read.problems
    if let readProblem { problems.insert(readProblem, at: 0) }
    var sessions: SessionAnalysis?
    if let spec = options.sessions {
      options.progress?.reach("judging sessions", 0.85)
      sessions = try analyzeSessions(read, templates: templates, spec: spec)
    }
    options.progress?.reach("writing results", 0.92)
    return AnalysisResult(
      read: read, templates: templates, features: features, reports: reports,
      findings: Scorer.combine(reports, thresholds: options.severityThresholds),
      problems: problems, templateState: templateState, mining: mining, sessions: sessions)
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
        file: buffer.name, message: "the input holds no log lines (only blank lines)")
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
