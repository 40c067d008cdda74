/// Which sessions train the session models and which are judged (`--train-fraction`,
/// `--split`, and labels that keep known anomalies out of training).
public struct SessionSplit: Sendable, Equatable {
  /// How sessions are divided.
  public enum Order: String, Sendable, Equatable {
    /// The first sessions (by their first record) train, the later ones are judged.
    case chronological
    /// A seeded random share trains.
    case random
  }

  /// The share of sessions that trains (0 < share < 1).
  public var trainFraction: Double
  /// How they are chosen.
  public var order: Order
  /// Session keys labelled anomalous: left out of training (semi-supervised); empty trains on
  /// everything in the training share (unsupervised).
  public var knownAnomalies: Set<String>

  /// Creates a split.
  public init(
    trainFraction: Double, order: Order = .chronological, knownAnomalies: Set<String> = []
  ) {
    self.trainFraction = trainFraction
    self.order = order
    self.knownAnomalies = knownAnomalies
  }

  /// The training sessions (without known anomalies) and the sessions to judge.
  public func apply(_ sessions: [Session], seed: UInt64) -> (training: [Session], test: [Session]) {
    var indices = Array(sessions.indices)
    if order == .random {
      var random = SeededRandom(seed: seed)
      indices.shuffle(using: &random)
    }
    let cut = Int((Double(sessions.count) * trainFraction).rounded())
    let trainingSet = Set(indices.prefix(cut))
    let training = indices.prefix(cut).sorted().map { sessions[$0] }
      .filter { !knownAnomalies.contains($0.key) }
    let test = sessions.indices.filter { !trainingSet.contains($0) }.map { sessions[$0] }
    return (training, test)
  }

  /// Reads session labels (`BlockId,Label` or `session,label`) and returns the anomalous keys.
  /// - Throws: ``DetectionEvaluation/InputError`` when the file is missing or lacks the columns.
  public static func anomalousKeys(labelsPath: String) throws(DetectionEvaluation.InputError)
    -> Set<String>
  {
    let labels: CSVTable
    do {
      labels = try CSVTable(path: labelsPath)
    } catch {
      throw DetectionEvaluation.InputError(description: error.description)
    }
    guard
      let keyColumn = labels.column([
        "blockid", "block_id", "session", "session_id", "key", "window",
      ]),
      let labelColumn = labels.column(["label", "is_anomaly", "anomaly"])
    else {
      throw DetectionEvaluation.InputError(
        description:
          "\(labelsPath): needs a header with a session column (BlockId or session) and a label column"
      )
    }
    var keys: Set<String> = []
    for row in labels.rows.indices
    where DetectionEvaluation.isAnomalous(labels.text(row, labelColumn)) {
      keys.insert(labels.text(row, keyColumn))
    }
    return keys
  }
}
