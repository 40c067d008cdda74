import Foundation

/// One session's verdict.
public struct SessionResult: Sendable {
  /// The session.
  public var session: Session
  /// The combined score in 0…1.
  public var score: Double
  /// The severity, when the session is anomalous.
  public var severity: Severity?
  /// The detectors that flagged it.
  public var detectors: [String]
  /// Their reasons, joined.
  public var reason: String
}

/// Session- and window-level detection: groups records (``SessionGrouper``), then runs the
/// session detectors over each session's events.
///
/// - `sequence` (``SequenceModel``): unexpected next events and new templates. A new template
///   scores 0.9; unexpected steps 0.7, +0.05 for each further one, at most 0.95.
/// - `pca` (``CountVectorPCA``): event-count vectors far from the normal space; score
///   `1 − 2^(−SPE / Q)`, so the Q-statistic threshold is 0.5.
/// - `iforest`: an ``IsolationForest`` over the count vectors of the 100 most common templates
///   and the session's record count, distinct templates, log duration and error share, cut as
///   ``OutlierThreshold`` says.
///
/// Models are fitted on the sessions given as training (all of them when none are), so the same
/// code serves unsupervised runs and semi-supervised ones (training on normal sessions). A
/// session's score is the highest detector score plus 0.03 per further detector that agrees;
/// its severity the highest its detectors give by their thresholds.
public struct SessionAnalysis: Sendable {
  /// How records were grouped.
  public var spec: SessionSpec
  /// Every session's verdict, in session order.
  public var results: [SessionResult]
  /// Each detector's parameters, by name.
  public var parameters: [String: [String: String]]

  /// The session detector names.
  public static let detectorNames = ["sequence", "pca", "iforest"]

  /// Runs the session detectors.
  /// - Parameters:
  ///   - sessions: the sessions to judge.
  ///   - training: the sessions to fit on (`nil`: all of `sessions`).
  ///   - events: each record's (template id, template text).
  ///   - detectors: the session detectors to run.
  public static func run(
    sessions: [Session], training: [Session]? = nil, spec: SessionSpec,
    events: [(id: String, text: String)], levels: [LogLevel?], detectors: [String], seed: UInt64,
    contamination: Double?, thresholds: [String: SeverityThresholds] = [:]
  ) -> SessionAnalysis {
    let fitOn = training ?? sessions
    func sequence(_ session: Session) -> [(id: String, text: String)] {
      session.records.map { events[$0] }
    }
    func vector(_ session: Session) -> [String: Int] {
      var counts: [String: Int] = [:]
      for record in session.records { counts[events[record].id, default: 0] += 1 }
      return counts
    }
    var hits = [[(String, Double, String)]](repeating: [], count: sessions.count)
    var parameters: [String: [String: String]] = [:]

    if detectors.contains("sequence") {
      var model = SequenceModel()
      model.train(fitOn.map(sequence))
      parameters["sequence"] = [
        "history": String(model.history), "candidates": String(model.candidates),
        "minimum_share": String(model.minimumShare), "events": String(model.vocabulary.count),
      ]
      for (index, session) in sessions.enumerated() {
        let surprises = model.surprises(sequence(session))
        guard let first = surprises.first else { continue }
        let isNew = surprises.contains(where: \.isNew)
        let score = isNew ? 0.9 : min(0.95, 0.7 + 0.05 * Double(surprises.count - 1))
        hits[index].append(("sequence", score, describe(first, total: surprises.count)))
      }
    }
    let columnIds = commonTemplates(fitOn, events: events, limit: 100)
    if detectors.contains("pca"), !columnIds.isEmpty, fitOn.count >= 10 {
      let pca = CountVectorPCA(fitOn.map(vector), columns: columnIds)
      parameters["pca"] = [
        "components": String(pca.components), "columns": String(columnIds.count),
        "q_threshold": String(format: "%.4g", pca.threshold), "tfidf": "true",
      ]
      for (index, error) in pca.errors(sessions.map(vector)).enumerated()
      where error > pca.threshold {
        let ratio = error / pca.threshold
        hits[index].append(
          (
            "pca", 1 - exp2(-ratio),
            "event counts unlike the usual mix (squared prediction error \(String(format: "%.3g", error)), \(String(format: "%.1f", ratio))× the Q-statistic threshold)"
          ))
      }
    }
    if detectors.contains("iforest"), fitOn.count >= 8 {
      let textOf = Dictionary(
        events.map { ($0.id, $0.text) }, uniquingKeysWith: { first, _ in first })
      let names =
        columnIds.map { "count of \"\(SecretScanner.redact(textOf[$0] ?? $0))\"" }
        + ["records", "distinct templates", "duration (log s)", "error share"]
      func row(_ session: Session) -> [Double] {
        let counts = vector(session)
        let errors = session.records.filter { (levels[$0] ?? .info) >= .error }.count
        return columnIds.map { Double(counts[$0] ?? 0) } + [
          Double(session.records.count), Double(counts.count),
          log1p(max(0, (session.end ?? 0) - (session.start ?? 0))),
          Double(errors) / Double(max(session.records.count, 1)),
        ]
      }
      let train = FeatureMatrix(
        columns: names, values: fitOn.flatMap(row), rowCount: fitOn.count)
      let all = FeatureMatrix(
        columns: names, values: sessions.flatMap(row), rowCount: sessions.count)
      let forest = IsolationForest(matrix: train, seed: seed)
      let scores = forest.scores(all)
      // Fitted on the input itself, the usual cut; fitted on a training share, only sessions
      // more isolated than every training session count.
      let cut =
        training == nil
        ? OutlierThreshold.cut(scores, contamination: contamination)
        : max(0.5, forest.scores(train).max() ?? 0.5)
      let profile = ColumnStatistics(train)
      parameters["iforest"] = [
        "trees": "100", "columns": String(names.count), "threshold": String(format: "%.4f", cut),
      ]
      for (index, score) in scores.enumerated() where score > cut {
        hits[index].append(
          (
            "iforest", score,
            "an unusual mix of events for a session (forest score \(String(format: "%.2f", score))): "
              + profile.explain(row: index, in: all, records: sessions.count)
          ))
      }
    }
    for name in parameters.keys {
      parameters[name]?["severity_thresholds"] =
        SeverityThresholds.forDetector(name, overrides: thresholds).summary
    }
    let results = sessions.enumerated().map { index, session -> SessionResult in
      var kept: [(String, Double, String, Severity)] = []
      for (name, score, reason) in hits[index] {
        if let severity = SeverityThresholds.forDetector(name, overrides: thresholds).severity(
          score)
        {
          kept.append((name, score, reason, severity))
        }
      }
      guard let top = kept.map(\.1).max(), let severity = kept.map(\.3).max() else {
        return SessionResult(session: session, score: 0, severity: nil, detectors: [], reason: "")
      }
      return SessionResult(
        session: session, score: min(1, top + 0.03 * Double(kept.count - 1)), severity: severity,
        detectors: kept.map(\.0), reason: kept.map { "\($0.0): \($0.2)" }.joined(separator: " | "))
    }
    return SessionAnalysis(spec: spec, results: results, parameters: parameters)
  }

  /// The ids of the `limit` templates in most training sessions.
  static func commonTemplates(
    _ sessions: [Session], events: [(id: String, text: String)], limit: Int
  ) -> [String] {
    var documents: [String: Int] = [:]
    for session in sessions {
      for id in Set(session.records.map { events[$0].id }) { documents[id, default: 0] += 1 }
    }
    return documents.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
      .prefix(limit).map(\.key)
  }

  static func describe(_ surprise: SequenceModel.Surprise, total: Int) -> String {
    let context = surprise.context.map { "\"\(SecretScanner.redact($0))\"" }.joined(
      separator: " → ")
    let more = total > 1 ? " (\(total) unexpected steps in all)" : ""
    let event = surprise.text.map { "\"\(SecretScanner.redact($0))\"" } ?? ""
    if surprise.isNew {
      return "new event \(event) never seen in training, after \(context)\(more)"
    }
    let expected = surprise.expected.map { "\"\(SecretScanner.redact($0))\"" }.joined(
      separator: ", ")
    let what = surprise.text == nil ? "unexpected end of the session" : "unexpected event \(event)"
    return "\(what) after \(context); usually followed by \(expected)\(more)"
  }
}
