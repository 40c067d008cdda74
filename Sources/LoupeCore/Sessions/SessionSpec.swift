import Foundation

/// How records are grouped into sessions: by a key (`--session-key`) or by time windows
/// (`--window`, with `--step` for sliding windows).
public enum SessionSpec: Sendable, Equatable {
  /// Records sharing a key: a field's value, or what a regular expression finds in the message
  /// (its first capture group when it has one, else the whole match; in the whole record where
  /// the message was made from its fields, ``FieldMessage``). A record naming several keys
  /// belongs to each.
  case key(String)
  /// Fixed windows of `length` seconds (`step == length`) or sliding ones (`step < length`).
  case window(length: Double, step: Double)

  /// A duration such as `30s`, `5m`, `1h`, `1d` or `250ms`, in seconds (a bare number is
  /// seconds).
  public static func seconds(_ text: String) -> Double? {
    let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
    let units: [(String, Double)] = [
      ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400),
    ]
    for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
      guard let value = Double(trimmed.dropLast(suffix.count)), value > 0, value.isFinite else {
        return nil
      }
      return value * factor
    }
    guard let value = Double(trimmed), value > 0, value.isFinite else { return nil }
    return value
  }

  /// A short description for the summary.
  public var summary: String {
    switch self {
    case .key(let key): "key \(key)"
    case .window(let length, let step):
      step < length ? "sliding windows of \(length) s every \(step) s" : "windows of \(length) s"
    }
  }
}

/// A group of records: a session (by key) or a time window.
public struct Session: Sendable, Hashable {
  /// The key, or the window's start time (ISO 8601).
  public var key: String
  /// The records' indices, in input order.
  public var records: [Int]
  /// The earliest timestamp, when records have them.
  public var start: Double?
  /// The latest timestamp.
  public var end: Double?
}
