import Foundation

/// The fitted session detectors: what a model file keeps so that new logs can be judged
/// without refitting.
public struct SessionModels: Sendable, Codable {
  /// The next-event model.
  public var sequence: SequenceModel?
  /// The count-vector PCA.
  public var pca: CountVectorPCA?
  /// The count invariants.
  public var invariants: InvariantMining?
  /// The forest over count vectors and session statistics.
  public var forest: IsolationForest?
  /// The highest forest score among the training sessions (the cut when judging new ones).
  public var forestTrainingMaximum: Double?
  /// The template ids of the count columns (the templates in most training sessions).
  public var columns: [String]

  /// Names of the forest's statistics columns, after the counts.
  static let statistics = ["records", "distinct templates", "duration (log s)", "error share"]

  /// Fits the detectors named in `detectors` on `training`; `cleanTraining` says labelled
  /// anomalies were left out (semi-supervised).
  public static func fit(
    _ training: [Session], events: SessionAnalysis.Events, detectors: [String], seed: UInt64,
    tfidf: Bool = true, cleanTraining: Bool = false
  ) -> SessionModels {
    let common = SessionAnalysis.commonTemplates(training, events: events, limit: 100)
    var models = SessionModels(columns: common.map { events.ids[$0] })
    if detectors.contains("sequence") {
      // Trained on sessions known to be normal, any seen transition is normal (DeepLog's
      // top-g alone); trained on unlabelled sessions, rare transitions are suspect too.
      var sequence = SequenceModel(minimumShare: cleanTraining ? 0 : 0.01)
      sequence.train(
        training.map { $0.records.map { events.assignments[$0] } }, ids: events.ids,
        texts: events.texts)
      models.sequence = sequence
    }
    let counts = models.counts(training, events: events)
    if detectors.contains("pca"), !common.isEmpty, training.count >= 10 {
      // Clean training sessions are all normal: only the most extreme 0.1% may be cut off.
      models.pca = CountVectorPCA(
        counts, columns: models.columns, tfidf: tfidf, trainingShare: cleanTraining ? 0.001 : 0.01)
    }
    if detectors.contains("invariants"), !common.isEmpty {
      // As for PCA: among clean sessions an invariant may fail in at most 0.1% of them; among
      // unlabelled ones (some anomalous) in 2%.
      models.invariants = InvariantMining(
        counts, ids: models.columns, texts: common.map { events.texts[$0] },
        support: cleanTraining ? 0.999 : 0.98)
    }
    if detectors.contains("iforest"), training.count >= 8 {
      let matrix = models.forestMatrix(training, counts: counts, events: events)
      let forest = IsolationForest(matrix: matrix, seed: seed)
      models.forest = forest
      models.forestTrainingMaximum = forest.scores(matrix).max()
    }
    return models
  }

  /// Each session's counts of the model's column templates.
  func counts(_ sessions: [Session], events: SessionAnalysis.Events) -> FeatureMatrix {
    var position: [String: Int] = [:]
    for (index, id) in columns.enumerated() { position[id] = index }
    let columnOf = events.ids.map { position[$0] ?? -1 }
    var values = [Double](repeating: 0, count: sessions.count * columns.count)
    for (row, session) in sessions.enumerated() {
      for record in session.records {
        let column = columnOf[events.assignments[record]]
        if column >= 0 { values[row * columns.count + column] += 1 }
      }
    }
    return FeatureMatrix(columns: columns, values: values, rowCount: sessions.count)
  }

  /// The forest's rows: the counts, then ``statistics``.
  func forestMatrix(_ sessions: [Session], counts: FeatureMatrix, events: SessionAnalysis.Events)
    -> FeatureMatrix
  {
    var textOf: [String: String] = [:]
    for (index, id) in events.ids.enumerated() where textOf[id] == nil {
      textOf[id] = events.texts[index]
    }
    let names =
      columns.map { "count of \"\(SecretScanner.redact(textOf[$0] ?? $0))\"" } + Self.statistics
    var values: [Double] = []
    values.reserveCapacity(sessions.count * names.count)
    for (row, session) in sessions.enumerated() {
      values += counts.values[row * columns.count..<(row + 1) * columns.count]
      let distinct = Set(session.records.map { events.assignments[$0] }).count
      let errors = session.records.filter { (events.levels[$0] ?? .info) >= .error }.count
      values += [
        Double(session.records.count), Double(distinct),
        log1p(max(0, (session.end ?? 0) - (session.start ?? 0))),
        Double(errors) / Double(max(session.records.count, 1)),
      ]
    }
    return FeatureMatrix(columns: names, values: values, rowCount: sessions.count)
  }
}
