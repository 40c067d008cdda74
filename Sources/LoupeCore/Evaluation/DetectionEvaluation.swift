import Foundation

/// Evaluation of findings against labels, at line or session level: the confusion matrix,
/// precision, recall, F1, accuracy, ROC-AUC from the scores, recall per anomaly kind when
/// the labels name kinds, and precision, recall and F1 counting only findings at or above each
/// severity (what alerting on that severity would give).
public struct DetectionEvaluation: Sendable, Codable, Equatable {
  /// `line` or `session`.
  public var level: String
  /// Labelled lines (or sessions, at session level).
  public var lines: Int
  /// Lines labelled anomalous.
  public var anomalies: Int
  /// Anomalous lines that were flagged.
  public var truePositives: Int
  /// Normal lines that were flagged.
  public var falsePositives: Int
  /// Anomalous lines that were not flagged.
  public var falseNegatives: Int
  /// Normal lines that were not flagged.
  public var trueNegatives: Int
  /// TP / (TP + FP).
  public var precision: Double
  /// TP / (TP + FN).
  public var recall: Double
  /// The harmonic mean of precision and recall.
  public var f1: Double
  /// (TP + TN) / lines.
  public var accuracy: Double
  /// The area under the ROC curve of the scores (ties count half), or `nil` when the labels
  /// hold only one class.
  public var rocAuc: Double?
  /// Where the scores came from: `records` (every record scored) or `anomalies` (findings
  /// only; other lines score 0).
  public var scoreSource: String
  /// Recall per anomaly kind, when the labels have a `kind` column.
  public var recallByKind: [KindRecall]
  /// Labelled sessions that the prediction does not judge (training sessions of a split, or
  /// keys the grouping did not find); not counted above.
  public var unmatched: Int = 0
  /// The least severity a finding needs to count as predicted, or `nil` for every finding.
  public var minSeverity: Severity?
  /// The figures counting only findings at or above each severity, when the predictions have
  /// severities.
  public var bySeverity: [SeverityCut] = []

  /// Precision, recall and F1 counting only findings at or above one severity.
  public struct SeverityCut: Sendable, Codable, Equatable {
    /// The least severity counted.
    public var severity: Severity
    /// Labelled lines (or sessions) predicted at or above it.
    public var flagged: Int
    /// Of those, anomalous ones.
    public var truePositives: Int
    /// TP / flagged.
    public var precision: Double
    /// TP / anomalies.
    public var recall: Double
    /// The harmonic mean of precision and recall.
    public var f1: Double
  }

  /// Recall for one anomaly kind.
  public struct KindRecall: Sendable, Codable, Equatable {
    /// The kind.
    public var kind: String
    /// Lines of that kind.
    public var lines: Int
    /// Of those, lines flagged.
    public var detected: Int
  }

  /// A problem with the evaluation's inputs, naming the file.
  public struct InputError: Error, CustomStringConvertible {
    /// The sentence for the user.
    public var description: String
  }

  /// Evaluates predictions against line labels.
  /// - Parameters:
  ///   - labelsPath: `line_number,label[,kind]` (also `line`/`LineId` and `Label`; labels 1/0,
  ///     true/false, anomaly/normal, yes/no), or a BGL-style log whose lines' first token is `-`
  ///     for normal lines.
  ///   - predictedPath: a `STEM_anomalies.csv`, or a directory holding exactly one; a
  ///     `STEM_records.csv` beside it supplies scores for every record.
  ///   - minSeverity: count only findings at or above this severity as predicted.
  /// - Returns: the evaluation.
  /// - Throws: ``InputError`` when a file is missing or lacks the needed columns.
  public static func evaluate(
    labelsPath: String, predictedPath: String, minSeverity: Severity? = nil
  ) throws(InputError) -> DetectionEvaluation {
    let anomaliesPath = try locateAnomalies(predictedPath)
    let labelled = try lineLabels(labelsPath)

    let anomalies = try table(anomaliesPath)
    guard let predictedLine = anomalies.column(["line"]) else {
      throw InputError(
        description: "\(anomaliesPath): needs a line column (a loupe anomalies file)")
    }
    let predictedScore = anomalies.column(["score"])
    let severityColumn = try severityColumn(anomalies, anomaliesPath, required: minSeverity)
    var flagged: [Int: Double] = [:]
    var severities: [Int: Severity] = [:]
    for row in anomalies.rows.indices {
      guard let line = anomalies.integer(row, predictedLine) else { continue }
      flagged[line] = predictedScore.flatMap { anomalies.number(row, $0) } ?? 1
      severities[line] = severityColumn.flatMap { Severity(rawValue: anomalies.text(row, $0)) }
    }
    var scores: [Int: Double] = [:]
    var scoreSource = "anomalies"
    let recordsPath = anomaliesPath.replacingOccurrences(of: "_anomalies.csv", with: "_records.csv")
    if recordsPath != anomaliesPath, FileManager.default.fileExists(atPath: recordsPath) {
      let records = try table(recordsPath)
      if let line = records.column(["line"]), let score = records.column(["score"]) {
        for row in records.rows.indices {
          if let number = records.integer(row, line), let value = records.number(row, score) {
            scores[number] = value
          }
        }
        scoreSource = "records"
      }
    }

    let items = labelled.map { label in
      Item(
        anomalous: label.anomalous, predicted: flagged[label.line] != nil,
        score: scores[label.line] ?? flagged[label.line] ?? 0, kind: label.kind,
        severity: severities[label.line])
    }
    return summarize(
      items, level: "line", scoreSource: scoreSource, minSeverity: minSeverity,
      severities: severityColumn != nil)
  }

  /// The severity column of a predictions table; an error when a least severity is asked for
  /// and the table has none.
  private static func severityColumn(
    _ predictions: CSVTable, _ path: String, required: Severity?
  ) throws(InputError) -> Int? {
    let column = predictions.column(["severity"])
    if column == nil, let required {
      throw InputError(
        description:
          "\(path): has no severity column, so findings at or above \(required.rawValue) cannot be told apart"
      )
    }
    return column
  }

  /// Line labels from `line_number,label[,kind]` CSV, or — when the file has no such header —
  /// from each line's first token, as BGL marks alerts: `-` is normal, anything else is an
  /// anomaly of that kind.
  public static func lineLabels(_ path: String) throws(InputError) -> [(
    line: Int, anomalous: Bool, kind: String?
  )] {
    let labels = try table(path)
    if let lineColumn = labels.column(["line_number", "line", "lineid", "line_no"]),
      let labelColumn = labels.column(["label", "is_anomaly", "anomaly"])
    {
      let kindColumn = labels.column(["kind", "injected_pattern", "type"])
      return labels.rows.indices.compactMap { row in
        guard let line = labels.integer(row, lineColumn) else { return nil }
        return (
          line, isAnomalous(labels.text(row, labelColumn)), kindColumn.map { labels.text(row, $0) }
        )
      }
    }
    guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else {
      throw InputError(description: "\(path): empty or unreadable labels file")
    }
    var result: [(Int, Bool, String?)] = []
    var line = 0
    for text in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
      line += 1
      let token = text.prefix { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }
      guard !token.isEmpty else { continue }
      let kind = String(decoding: token, as: UTF8.self)
      result.append((line, kind != "-", kind == "-" ? nil : kind))
    }
    let anomalous = result.filter(\.1).count
    // A CSV without the label columns is a mistake, not first-token labels.
    guard anomalous < result.count || result.count < 2 else {
      throw InputError(
        description:
          "\(path): needs a header with line_number and label columns, or BGL-style lines whose first token is - for normal"
      )
    }
    return result
  }

  /// One labelled line or session.
  struct Item {
    var anomalous: Bool
    var predicted: Bool
    var score: Double
    var kind: String?
    /// The finding's severity, when predicted and the predictions have severities.
    var severity: Severity?
  }

  static func summarize(
    _ items: [Item], level: String, scoreSource: String, minSeverity: Severity? = nil,
    severities: Bool = false
  ) -> DetectionEvaluation {
    var evaluation = DetectionEvaluation(
      level: level, lines: 0, anomalies: 0, truePositives: 0, falsePositives: 0,
      falseNegatives: 0, trueNegatives: 0, precision: 0, recall: 0, f1: 0, accuracy: 0,
      rocAuc: nil, scoreSource: scoreSource, recallByKind: [])
    evaluation.minSeverity = minSeverity
    func counted(_ item: Item, atLeast severity: Severity?) -> Bool {
      guard item.predicted else { return false }
      guard let severity else { return true }
      return (item.severity ?? .low) >= severity
    }
    let items = items.map { item in
      var item = item
      item.predicted = counted(item, atLeast: minSeverity)
      return item
    }
    if severities {
      let anomalies = items.filter(\.anomalous).count
      evaluation.bySeverity = Severity.allCases.map { severity in
        let flagged = items.filter { counted($0, atLeast: severity) }
        let truePositives = flagged.filter(\.anomalous).count
        let precision = Double(truePositives) / Double(max(1, flagged.count))
        let recall = Double(truePositives) / Double(max(1, anomalies))
        let sum = precision + recall
        return SeverityCut(
          severity: severity, flagged: flagged.count, truePositives: truePositives,
          precision: round(precision), recall: round(recall),
          f1: sum > 0 ? round(2 * precision * recall / sum) : 0)
      }
    }
    var kinds: [String: (Int, Int)] = [:]
    for item in items {
      evaluation.lines += 1
      switch (item.anomalous, item.predicted) {
      case (true, true): evaluation.truePositives += 1
      case (true, false): evaluation.falseNegatives += 1
      case (false, true): evaluation.falsePositives += 1
      case (false, false): evaluation.trueNegatives += 1
      }
      if item.anomalous {
        evaluation.anomalies += 1
        if let kind = item.kind {
          let name = kind.isEmpty ? "unknown" : kind
          let current = kinds[name] ?? (0, 0)
          kinds[name] = (current.0 + 1, current.1 + (item.predicted ? 1 : 0))
        }
      }
    }
    let tp = Double(evaluation.truePositives)
    let precision = tp / Double(max(1, evaluation.truePositives + evaluation.falsePositives))
    let recall = tp / Double(max(1, evaluation.anomalies))
    evaluation.precision = round(precision)
    evaluation.recall = round(recall)
    let sum = precision + recall
    evaluation.f1 = sum > 0 ? round(2 * precision * recall / sum) : 0
    evaluation.accuracy = round(
      Double(evaluation.truePositives + evaluation.trueNegatives) / Double(max(1, evaluation.lines))
    )
    evaluation.rocAuc = rocAUC(items.map { ($0.score, $0.anomalous) }).map(round)
    evaluation.recallByKind = kinds.keys.sorted().map { kind in
      KindRecall(kind: kind, lines: kinds[kind]?.0 ?? 0, detected: kinds[kind]?.1 ?? 0)
    }
    return evaluation
  }

  /// Evaluates session verdicts against session labels.
  /// - Parameters:
  ///   - labelsPath: `BlockId,Label` (HDFS: `Normal`/`Anomaly`) or `session,label[,kind]`.
  ///   - predictedPath: a `STEM_sessions.csv`, or a directory holding exactly one.
  ///   - minSeverity: count only sessions judged anomalous at or above this severity.
  /// - Returns: the evaluation over the labelled sessions that the prediction judges (others are
  ///   counted in ``unmatched``; predicted sessions without a label are ignored).
  /// - Throws: ``InputError`` when a file is missing or lacks the needed columns.
  public static func evaluateSessions(
    labelsPath: String, predictedPath: String, minSeverity: Severity? = nil
  ) throws(InputError) -> DetectionEvaluation {
    let sessionsPath = try locate(
      predictedPath, suffix: "_sessions.csv", producer: "--session-key or --window")
    let labels = try table(labelsPath)
    guard
      let keyColumn = labels.column([
        "blockid", "block_id", "session", "session_id", "key", "window",
      ]),
      let labelColumn = labels.column(["label", "is_anomaly", "anomaly"])
    else {
      throw InputError(
        description:
          "\(labelsPath): needs a header with a session column (BlockId or session) and a label column"
      )
    }
    let kindColumn = labels.column(["kind", "type"])
    let predicted = try table(sessionsPath)
    guard let sessionColumn = predicted.column(["session"]),
      let scoreColumn = predicted.column(["score"]),
      let anomalousColumn = predicted.column(["anomalous"])
    else {
      throw InputError(
        description:
          "\(sessionsPath): needs session, score and anomalous columns (a loupe sessions file)")
    }
    let severityColumn = try severityColumn(predicted, sessionsPath, required: minSeverity)
    var verdicts: [String: (Bool, Double, Severity?)] = [:]
    for row in predicted.rows.indices {
      verdicts[predicted.text(row, sessionColumn)] = (
        isAnomalous(predicted.text(row, anomalousColumn)), predicted.number(row, scoreColumn) ?? 0,
        severityColumn.flatMap { Severity(rawValue: predicted.text(row, $0)) }
      )
    }
    var unmatched = 0
    let items = labels.rows.indices.compactMap { row -> Item? in
      guard let verdict = verdicts[labels.text(row, keyColumn)] else {
        unmatched += 1
        return nil
      }
      return Item(
        anomalous: isAnomalous(labels.text(row, labelColumn)), predicted: verdict.0,
        score: verdict.1, kind: kindColumn.map { labels.text(row, $0) }, severity: verdict.2)
    }
    var evaluation = summarize(
      items, level: "session", scoreSource: "sessions", minSeverity: minSeverity,
      severities: severityColumn != nil)
    evaluation.unmatched = unmatched
    return evaluation
  }

  /// The ROC-AUC as the Mann–Whitney statistic, ties counted half.
  static func rocAUC(_ scored: [(score: Double, anomalous: Bool)]) -> Double? {
    let positives = scored.filter(\.anomalous).count
    let negatives = scored.count - positives
    guard positives > 0, negatives > 0 else { return nil }
    let sorted = scored.sorted { $0.score < $1.score }
    var rankSum = 0.0
    var index = 0
    while index < sorted.count {
      var end = index
      while end + 1 < sorted.count, sorted[end + 1].score == sorted[index].score { end += 1 }
      let averageRank = Double(index + end) / 2 + 1
      for position in index...end where sorted[position].anomalous { rankSum += averageRank }
      index = end + 1
    }
    let p = Double(positives)
    return (rankSum - p * (p + 1) / 2) / (p * Double(negatives))
  }

  static func isAnomalous(_ label: String) -> Bool {
    switch label.trimmingCharacters(in: .whitespaces).lowercased() {
    case "1", "true", "anomaly", "anomalous", "yes", "abnormal": true
    default: false
    }
  }

  private static func round(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

  private static func table(_ path: String) throws(InputError) -> CSVTable {
    do {
      return try CSVTable(path: path)
    } catch {
      throw InputError(description: error.description)
    }
  }

  private static func locateAnomalies(_ path: String) throws(InputError) -> String {
    try locate(path, suffix: "_anomalies.csv", producer: nil)
  }

  private static func locate(_ path: String, suffix: String, producer: String?) throws(InputError)
    -> String
  {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw InputError(description: "\(path): no such file or directory")
    }
    guard isDirectory.boolValue else { return path }
    let files = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
      .filter { $0.hasSuffix(suffix) }.sorted()
    guard files.count == 1, let file = files.first else {
      let how = producer.map { " \($0)" } ?? ""
      throw InputError(
        description: files.isEmpty
          ? "\(path): holds no *\(suffix); run loupe analyze\(how) with --output \(path) first"
          : "\(path): holds several *\(suffix) (\(files.joined(separator: ", "))); name one")
    }
    return (path as NSString).appendingPathComponent(file)
  }
}
