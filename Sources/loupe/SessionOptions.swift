import ArgumentParser
import Foundation
import LoupeCore

/// `--session-key`, `--window` and `--step`: how records are grouped into sessions or windows.
struct SessionOptions: ParsableArguments {
  @Option(
    name: .customLong("session-key"),
    help:
      "Group records into sessions: a field name, or a regular expression whose first capture group (or whole match) is the key, e.g. 'blk_-?\\d+'. A line naming several keys belongs to each."
  )
  var sessionKey: String?

  @Option(help: "Group records into time windows of this length (30s, 5m, 1h).")
  var window: String?

  @Option(help: "Slide windows by this much (shorter than --window); default: --window.")
  var step: String?

  @Flag(
    inversion: .prefixedNo,
    help: "Weight session event counts by TF-IDF for the PCA detector (default: on).")
  var tfidf = true

  @Option(
    name: .customLong("train-fraction"),
    help:
      "Fit the session models on this share of the sessions and judge only the rest (e.g. 0.8).")
  var trainFraction: Double?

  @Option(help: "How --train-fraction picks training sessions: chronological (default) or random.")
  var split: String?

  @Option(
    name: .customLong("labels"),
    help:
      "Labels of known anomalies, left out of training (semi-supervised): sessions (BlockId,Label or session,label); on train also lines (line_number,label). On analyze it needs --train-fraction."
  )
  var trainingLabels: String?

  /// The training split, or `nil` when all sessions train and all are judged.
  /// - Throws: `ValidationError` for a fraction outside (0, 1), an unknown order, or a flag
  ///   that needs another.
  func sessionSplit() throws -> SessionSplit? {
    guard let trainFraction else {
      if split != nil || trainingLabels != nil {
        // On analyze; train reads --labels itself.
        throw ValidationError("--split and --labels need --train-fraction")
      }
      return nil
    }
    guard trainFraction > 0, trainFraction < 1 else {
      throw ValidationError("--train-fraction must be between 0 and 1, not \(trainFraction)")
    }
    guard sessionKey != nil || window != nil else {
      throw ValidationError("--train-fraction needs --session-key or --window")
    }
    guard let order = SessionSplit.Order(rawValue: split ?? "chronological") else {
      throw ValidationError("--split must be chronological or random, not '\(split ?? "")'")
    }
    var known: Set<String> = []
    if let trainingLabels {
      do {
        known = try SessionSplit.anomalousKeys(labelsPath: trainingLabels)
      } catch {
        throw ValidationError(error.description)
      }
    }
    return SessionSplit(trainFraction: trainFraction, order: order, knownAnomalies: known)
  }

  /// The grouping, or `nil` for none.
  /// - Throws: `ValidationError` for a bad duration, an invalid expression, or both groupings.
  func spec(configKey: String? = nil, configWindow: String? = nil, configStep: String? = nil)
    throws -> SessionSpec?
  {
    let key = sessionKey ?? (window == nil ? configKey : nil)
    let windowText = window ?? (sessionKey == nil ? configWindow : nil)
    let stepText = step ?? configStep
    if key != nil && windowText != nil {
      throw ValidationError("use either --session-key or --window, not both")
    }
    if let key {
      guard !key.isEmpty, (try? NSRegularExpression(pattern: key)) != nil else {
        throw ValidationError(
          "--session-key '\(key)' is neither a field name nor a valid regular expression")
      }
      if stepText != nil { throw ValidationError("--step applies to --window") }
      return .key(key)
    }
    guard let windowText else {
      if stepText != nil { throw ValidationError("--step applies to --window") }
      return nil
    }
    guard let length = SessionSpec.seconds(windowText) else {
      throw ValidationError(
        "--window must be a duration such as 30s, 5m or 1h, not '\(windowText)'")
    }
    guard let stepText else { return .window(length: length, step: length) }
    guard let step = SessionSpec.seconds(stepText), step <= length else {
      throw ValidationError(
        "--step must be a duration no longer than --window (e.g. --window 5m --step 1m), not '\(stepText)'"
      )
    }
    return .window(length: length, step: step)
  }
}
