import Foundation

/// Remembers what was sent, so that one incident sends one alert (cool-down per
/// de-duplication key) and no sink sends more than its hourly limit. Kept in a JSON file
/// between runs, written through a temporary file.
public struct AlertLedger: Sendable, Codable, Equatable {
  /// When each key was last sent (seconds since 1970).
  public var lastSent: [String: Double] = [:]
  /// When each sink sent, within the last hour.
  public var sinkSends: [String: [Double]] = [:]

  enum CodingKeys: String, CodingKey {
    case lastSent = "last_sent"
    case sinkSends = "sink_sends"
  }

  /// An empty ledger.
  public init() {}

  /// Loads the ledger; a missing file is an empty ledger, an unreadable one an error.
  public static func load(_ path: String) throws -> AlertLedger {
    guard FileManager.default.fileExists(atPath: path) else { return AlertLedger() }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LedgerError(description: "\(path): the alert state cannot be read")
    }
    do {
      return try JSONDecoder().decode(AlertLedger.self, from: data)
    } catch {
      throw LedgerError(description: "\(path): the alert state is not valid; delete it to reset")
    }
  }

  /// Writes the ledger.
  public func save(_ path: String) throws {
    let directory = (path as NSString).deletingLastPathComponent
    if !directory.isEmpty {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
  }

  /// Whether `key` was sent less than `cooldown` seconds before `now`.
  public func coolingDown(_ key: String, cooldown: Double, now: Double) -> Bool {
    guard let last = lastSent[key] else { return false }
    return now - last < cooldown
  }

  /// Whether `sink` has used up `limit` sends in the hour before `now`.
  public func rateLimited(_ sink: String, limit: Int?, now: Double) -> Bool {
    guard let limit else { return false }
    return (sinkSends[sink] ?? []).filter { now - $0 < 3600 }.count >= limit
  }

  /// Notes that `sink` sent at `now`, forgetting sends older than an hour.
  public mutating func noteSend(_ sink: String, now: Double) {
    sinkSends[sink] = (sinkSends[sink] ?? []).filter { now - $0 < 3600 } + [now]
  }

  /// A ledger file problem.
  public struct LedgerError: Error, CustomStringConvertible {
    /// The sentence.
    public var description: String
  }
}
