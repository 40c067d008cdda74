/// How much evidence weighs on a record whose source already judged it routine: a message the
/// source logged at notice level or below, a caller's error, or, where the source gives no
/// level, a report of success (``MessageShape``).
///
/// - The rarity of the message alone is multiplied by 0.5 there, so it makes no finding of
///   such a record (0.85 × 0.5 is below every detector's low threshold): the source's author
///   wrote that message as routine, and a one-off informational message is no incident.
///   A template never seen in training (`analyze --model`) is judged on its own.
/// - The rarity of a warning, or of a message without a level (syslog, access logs), rises at
///   half the rate above 0.6 (`0.6 + (s − 0.6) / 2`), so alone it makes at most a medium finding
///   (0.725) and the rarest still rank first: the source did not say the message is a failure,
///   and an unusual message is worth a look, not an alert (alerts go out on high findings by
///   default). Trouble words, a status, another detector still raise the record. On an error
///   or worse, rarity keeps its full score: a failure never seen before is news.
/// - Evidence that is not about the message's wording weighs 0.7 there: rare values in the
///   record's fields (who asked, from where, for what — the level was given to the message,
///   not to its data) and a change of rate reported on the record (a heartbeat that stops is
///   reported on the next heartbeat). Alone it makes at most a low finding: a rare client in
///   a routine request, a traffic spike, are worth a look.
/// - Trouble words in a message the source logged at notice level or below are multiplied by
///   0.8: "timed out" in an informational message is a medium finding, not a high one, and
///   the bare word "error" makes none.
public enum RoutineWeight {
  /// The factor on the rarity of a routine record's message.
  public static let rarityFactor = 0.5
  /// Where the rarity of a warning or of a message without a level starts rising at half the
  /// rate.
  public static let unjudgedRarityKnee = 0.6
  /// The factor on evidence about a routine record's context: its field values, a change of rate.
  public static let contextFactor = 0.7
  /// The factor on trouble words in routine records.
  public static let wordsFactor = 0.8

  /// The rarity score `score` of the message of a record of `level` whose template has
  /// `shape`, weighed by what the source said of the record.
  public static func rarity(_ score: Double, _ level: LogLevel?, _ shape: MessageShape.Kind)
    -> Double
  {
    if isRoutine(level, shape) { return score * rarityFactor }
    guard (level ?? .warning) <= .warning, score > unjudgedRarityKnee else { return score }
    return unjudgedRarityKnee + (score - unjudgedRarityKnee) / 2
  }

  /// The factor on evidence about the context of a record of `level` whose template has
  /// `shape`: the rarity of its field values, a change of rate reported on it.
  public static func context(_ level: LogLevel?, _ shape: MessageShape.Kind = .plain) -> Double {
    isRoutine(level, shape) ? contextFactor : 1
  }

  /// `hits` of a statistical detector (the forest, LOF, the autoencoder) with each score
  /// weighed as evidence about its record's context: an outlier among the records is worth a
  /// look on a routine record, not an alarm.
  static func context(_ hits: [DetectorHit], _ input: DetectionInput) -> [DetectorHit] {
    let shapes = MessageShape.kinds(input)
    return hits.map { hit in
      var hit = hit
      let level = input.records[hit.record].level
      let shape = shapes[input.templates.assignments[hit.record]]
      guard context(level, shape) < 1 else { return hit }
      hit.score *= contextFactor
      switch (shape, level) {
      case (.callerError, _): hit.reason += "; weighed lower: a caller's error"
      case (_, let level?): hit.reason += "; weighed lower: logged at \(level.name) level"
      default: hit.reason += "; weighed lower: a report of success"
      }
      return hit
    }
  }

  /// The factor on trouble words in a record of `level`.
  public static func words(_ level: LogLevel?) -> Double {
    isRoutine(level, .plain) ? wordsFactor : 1
  }

  /// Whether the source judged a record of `level` routine: notice level or below.
  public static func isRoutine(_ level: LogLevel?) -> Bool {
    isRoutine(level, .plain)
  }

  private static func isRoutine(_ level: LogLevel?, _ shape: MessageShape.Kind) -> Bool {
    switch (shape, level) {
    case (.callerError, _): return true
    case (.success, nil): return true
    case (_, let level?): return level <= .notice
    case (_, nil): return false
    }
  }
}
