/// How much evidence weighs on a record whose source already judged it routine: a message the
/// source logged at notice level or below, or a caller's error (``MessageShape``).
///
/// - Statistics alone (rarity, a change of rate) are multiplied by 0.7 there, so they make at
///   most a low finding of such a record (0.85 × 0.7 < 0.6): a one-off informational message is
///   worth a look, not an alarm. On a warning, an error, or a message without a level they keep
///   their full score.
/// - Trouble words in a message the source logged at notice level or below are multiplied by
///   0.8: "timed out" in an informational message is a medium finding, not a high one, and
///   the bare word "error" makes none.
public enum RoutineWeight {
  /// The factor on statistical evidence about routine records.
  public static let statisticsFactor = 0.7
  /// The factor on trouble words in routine records.
  public static let wordsFactor = 0.8

  /// The factor on a statistical detector's score for a record of `level` whose template has
  /// `shape`.
  public static func statistics(_ level: LogLevel?, _ shape: MessageShape.Kind) -> Double {
    isRoutine(level, shape) ? statisticsFactor : 1
  }

  /// The factor on trouble words in a record of `level`.
  public static func words(_ level: LogLevel?) -> Double {
    isRoutine(level, .plain) ? wordsFactor : 1
  }

  private static func isRoutine(_ level: LogLevel?, _ shape: MessageShape.Kind) -> Bool {
    if case .callerError = shape { return true }
    guard let level else { return false }
    return level <= .notice
  }
}
