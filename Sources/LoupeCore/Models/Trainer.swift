import Foundation

/// Fits a ``LoupeModel`` on training logs (assumed mostly normal): the template state, template
/// counts, the record-level Isolation Forest and its cut, and — when records are grouped — the
/// session detectors.
///
/// Several inputs are read one after the other, each mined with the templates learned so far;
/// their sessions train the session detectors together, and the forest trains on the inputs
/// whose features match the first one's. Known anomalies can be left out: sessions by key
/// (`BlockId,Label` labels; their records leave the template counts and the forest too), or
/// records by line when there is one input (`line_number,label`).
public struct Trainer: Sendable {
  /// How inputs are read, grouped and which detectors train.
  public var options: AnalysisOptions
  /// Session keys labelled anomalous: left out of the session detectors' training.
  public var anomalousSessions: Set<String> = []
  /// Lines labelled anomalous (one input only): left out of the counts and the forest.
  public var anomalousLines: Set<Int> = []

  /// Creates a trainer.
  public init(options: AnalysisOptions) { self.options = options }

  /// What training saw.
  public struct Report: Sendable {
    /// Records trained on.
    public var records: Int
    /// Templates learned.
    public var templates: Int
    /// Sessions the session detectors trained on.
    public var sessions: Int
    /// Sessions left out as known anomalies.
    public var excludedSessions: Int
    /// Records left out as known anomalies (labelled lines, and the records of labelled
    /// sessions).
    public var excludedRecords: Int
  }

  /// Trains on the inputs.
  /// - Throws: ``InputProblem`` when an input cannot be read or holds no records.
  public func train(_ locations: [InputLocation]) throws(InputProblem) -> (LoupeModel, Report) {
    var state = options.templateState
    var counts: [String: Int] = [:]
    var records = 0
    var excludedRecords = 0
    var featureRows: [Double] = []
    var featureColumns: [String]?
    var sessionIds: [String] = []
    var sessionTexts: [String] = []
    var globalIndex: [String: Int] = [:]
    var assignments: [Int] = []
    var levels: [LogLevel?] = []
    var sessions: [Session] = []
    var excludedSessions = 0
    for location in locations {
      var parseOptions = options
      parseOptions.templateState = state
      let (read, templates, learned, _) = try Analyzer(options: parseOptions).parse(location)
      state = learned
      // Records left out as known anomalies: labelled lines (one input), and every record of
      // a session labelled anomalous.
      var excluded = [Bool](repeating: false, count: read.records.count)
      if locations.count == 1, !anomalousLines.isEmpty {
        for (index, record) in read.records.enumerated() where anomalousLines.contains(record.line)
        {
          excluded[index] = true
        }
      }
      if let spec = options.sessions {
        let offset = assignments.count
        let local = templates.templates.map { template -> Int in
          if let known = globalIndex[template.id] { return known }
          globalIndex[template.id] = sessionIds.count
          sessionIds.append(template.id)
          sessionTexts.append(template.text)
          return sessionIds.count - 1
        }
        assignments += templates.assignments.map { local[$0] }
        levels += read.records.map(\.level)
        for var session in try SessionGrouper.group(read, spec: spec) {
          if anomalousSessions.contains(session.key) {
            excludedSessions += 1
            for record in session.records { excluded[record] = true }
            continue
          }
          session.records = session.records.map { $0 + offset }
          sessions.append(session)
        }
      }
      for index in read.records.indices {
        if excluded[index] {
          excludedRecords += 1
          continue
        }
        counts[templates.templates[templates.assignments[index]].id, default: 0] += 1
        records += 1
      }
      if options.detectors.contains("iforest") {
        let features = RecordFeatures.build(
          read.records, buffer: read.buffer, templates: templates,
          numericFields: read.audit?.numericColumns)
        if featureColumns == nil { featureColumns = features.columns }
        if features.columns == featureColumns {
          for row in 0..<features.rowCount where !excluded[row] {
            featureRows +=
              features.values[row * features.columnCount..<(row + 1) * features.columnCount]
          }
        }
      }
    }
    guard let finalState = state else {
      throw InputProblem(file: locations.first?.displayName ?? "-", message: "no input to train on")
    }
    var recordForest: LoupeModel.RecordForest?
    if let columns = featureColumns, !featureRows.isEmpty {
      let matrix = FeatureMatrix(
        columns: columns, values: featureRows, rowCount: featureRows.count / columns.count)
      if matrix.rowCount >= 8 {
        let forest = IsolationForest(matrix: matrix, seed: options.seed)
        // The cut from an even sample of at most 200,000 training rows: a percentile needs
        // no more, and scoring every row would be most of the training time.
        let sample = matrix.sampledRows(200_000)
        recordForest = LoupeModel.RecordForest(
          columns: columns, forest: forest,
          cut: OutlierThreshold.cut(forest.scores(sample), contamination: options.contamination))
      }
    }
    var sessionModels: SessionModels?
    if options.sessions != nil {
      let events = SessionAnalysis.Events(
        assignments: assignments, ids: sessionIds, texts: sessionTexts, levels: levels)
      sessionModels = SessionModels.fit(
        sessions, events: events, detectors: options.detectors, seed: options.seed,
        tfidf: options.sessionTFIDF, cleanTraining: !anomalousSessions.isEmpty)
    }
    var settings = LoupeModel.Settings(
      format: options.read.format, logFormat: options.read.logFormat, detectors: options.detectors)
    switch options.sessions {
    case .key(let key): settings.sessionKey = key
    case .window(let length, let step):
      settings.window = length
      settings.step = step
    case nil: break
    }
    let model = LoupeModel(
      format: LoupeModel.formatName, version: LoupeModel.currentVersion,
      loupeVersion: Loupe.version,
      trained: TimestampFormatter.iso8601(Date().timeIntervalSince1970),
      settings: settings, trainingRecords: records, templates: finalState, templateCounts: counts,
      recordForest: recordForest, sessions: sessionModels)
    return (
      model,
      Report(
        records: records, templates: counts.count, sessions: sessions.count,
        excludedSessions: excludedSessions, excludedRecords: excludedRecords)
    )
  }
}
