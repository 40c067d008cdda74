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
///   `1 − 2^(−SPE / threshold)`, so the threshold is 0.5.
/// - `invariants` (``InvariantMining``): a broken count invariant scores 0.75, +0.05 for each
///   further one, at most 0.9.
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
  public static let detectorNames = ["sequence", "pca", "invariants", "iforest"]

  /// The input's templates as the session detectors see them.
  public struct Events: Sendable {
    /// Each record's template number.
    public var assignments: [Int]
    /// Each template's id.
    public var ids: [String]
    /// Each template's text.
    public var texts: [String]
    /// Each record's level.
    public var levels: [LogLevel?]

    /// Creates the events of an input.
    public init(assignments: [Int], ids: [String], texts: [String], levels: [LogLevel?]) {
      self.assignments = assignments
      self.ids = ids
      self.texts = texts
      self.levels = levels
    }
  }

  /// Fits the session detectors on `training` (all of `sessions` when `nil`) and judges
  /// `sessions`.
  public static func run(
    sessions: [Session], training: [Session]? = nil, spec: SessionSpec, events: Events,
    detectors: [String], seed: UInt64, contamination: Double?, tfidf: Bool = true,
    cleanTraining: Bool = false, thresholds: [String: SeverityThresholds] = [:]
  ) -> SessionAnalysis {
    let models = SessionModels.fit(
      training ?? sessions, events: events, detectors: detectors, seed: seed, tfidf: tfidf,
      cleanTraining: cleanTraining)
    return judge(
      sessions: sessions, models: models, detectors: detectors, fittedOnThem: training == nil,
      spec: spec,
      events: events, contamination: contamination, thresholds: thresholds)
  }

  /// Judges `sessions` with fitted models.
  /// - Parameters:
  ///   - fittedOnThem: the models were fitted on these very sessions (unsupervised): the forest
  ///     then cuts at ``OutlierThreshold``; otherwise only sessions more isolated than every
  ///     training session count.
  public static func judge(
    sessions: [Session], models: SessionModels, detectors: [String] = detectorNames,
    fittedOnThem: Bool, spec: SessionSpec,
    events: Events, contamination: Double?, thresholds: [String: SeverityThresholds] = [:]
  ) -> SessionAnalysis {
    var hits = [[(String, Double, String)]](repeating: [], count: sessions.count)
    var parameters: [String: [String: String]] = [:]

    if let model = models.sequence, detectors.contains("sequence") {
      parameters["sequence"] = [
        "history": String(model.history), "candidates": String(model.candidates),
        "minimum_share": String(model.minimumShare), "events": String(model.vocabulary.count),
      ]
      let eventOf = model.eventNumbers(ids: events.ids)
      let chunks = sessions.count > 4096 ? Parallel.coreCount * 4 : 1
      let found = Parallel.map(chunks) { chunk in
        let start = sessions.count * chunk / chunks
        let end = sessions.count * (chunk + 1) / chunks
        return (start..<end).map { index in
          model.surprises(
            sessions[index].records.map { events.assignments[$0] }, eventOf: eventOf,
            ids: events.ids, texts: events.texts)
        }
      }.flatMap { $0 }
      for (index, surprises) in found.enumerated() {
        guard let first = surprises.first else { continue }
        let isNew = surprises.contains(where: \.isNew)
        let score = isNew ? 0.9 : min(0.95, 0.7 + 0.05 * Double(surprises.count - 1))
        hits[index].append(("sequence", score, describe(first, total: surprises.count)))
      }
    }
    let counts = models.counts(sessions, events: events)
    if let pca = models.pca, detectors.contains("pca") {
      parameters["pca"] = [
        "components": String(pca.components), "columns": String(pca.columns.count),
        "q_statistic": String(format: "%.4g", pca.qStatistic),
        "threshold": String(format: "%.4g", pca.threshold), "tfidf": String(pca.tfidf),
      ]
      for (index, error) in pca.errors(counts).enumerated() where error > pca.threshold {
        let ratio = error / pca.threshold
        hits[index].append(
          (
            "pca", 1 - exp2(-ratio),
            "event counts unlike the usual mix (squared prediction error \(String(format: "%.3g", error)), \(String(format: "%.1f", ratio))× the threshold)"
          ))
      }
    }
    if let mining = models.invariants, detectors.contains("invariants") {
      parameters["invariants"] = [
        "invariants": String(mining.invariants.count), "support": "0.98",
      ]
      for (index, broken) in mining.violations(counts, ids: models.columns).enumerated() {
        guard let first = broken.first else { continue }
        let more = broken.count > 1 ? " (\(broken.count) invariants broken)" : ""
        hits[index].append(
          (
            "invariants", min(0.9, 0.75 + 0.05 * Double(broken.count - 1)),
            mining.describe(first, counts: counts, row: index, ids: models.columns) + more
          ))
      }
    }
    if let forest = models.forest, detectors.contains("iforest") {
      let matrix = models.forestMatrix(sessions, counts: counts, events: events)
      let scores = forest.scores(matrix)
      let cut =
        fittedOnThem
        ? OutlierThreshold.cut(scores, contamination: contamination)
        : max(0.5, models.forestTrainingMaximum ?? 0.5)
      parameters["iforest"] = [
        "trees": "100", "columns": String(matrix.columnCount),
        "threshold": String(format: "%.4f", cut),
      ]
      let found = OutlierThreshold.hits(
        scores, above: cut, features: matrix, records: sessions.count
      ) {
        "an unusual mix of events for a session (forest score \(String(format: "%.2f", scores[$0])))"
      }
      for hit in found { hits[hit.record].append(("iforest", hit.score, hit.reason)) }
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

  /// The numbers of the `limit` templates in most training sessions.
  static func commonTemplates(_ sessions: [Session], events: Events, limit: Int) -> [Int] {
    var documents = [Int](repeating: 0, count: events.ids.count)
    var lastSeen = [Int](repeating: -1, count: events.ids.count)
    for (index, session) in sessions.enumerated() {
      for record in session.records {
        let template = events.assignments[record]
        if lastSeen[template] != index {
          lastSeen[template] = index
          documents[template] += 1
        }
      }
    }
    return documents.indices.filter { documents[$0] > 0 }
      .sorted {
        documents[$0] > documents[$1]
          || (documents[$0] == documents[$1] && events.ids[$0] < events.ids[$1])
      }
      .prefix(limit).map { $0 }
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
