import Foundation

/// Answers kept on disk so that a template is classified once per model and prompt, however
/// many runs see it. The key hashes the provider, model, prompt text and template; the file
/// is JSON, written through a temporary file.
public struct ReviewCache: Sendable {
  /// One cached answer.
  public struct Entry: Sendable, Codable, Equatable {
    /// The verdict.
    public var verdict: ReviewVerdict
    /// The model that gave it.
    public var model: String
    /// The template it is about (redacted).
    public var template: String
    /// When it was stored, seconds since 1970.
    public var stored: Double
  }

  private struct File: Codable {
    var version: Int
    var entries: [String: Entry]
  }

  /// The file.
  public var path: String
  /// The entries by key.
  public private(set) var entries: [String: Entry] = [:]

  /// Opens the cache at `path`; a missing or unreadable file starts empty (the cache is only
  /// an optimisation), and `problem` says why when it was unreadable.
  public init(path: String) {
    self.path = path
    guard let data = FileManager.default.contents(atPath: path) else { return }
    if let file = try? JSONDecoder().decode(File.self, from: data), file.version == 1 {
      entries = file.entries
    } else {
      problem = "\(path): the LLM review cache is not valid and starts empty"
    }
  }

  /// Why the file could not be used, if it could not.
  public private(set) var problem: String?

  /// The key for a template's prompt under a provider and model.
  public static func key(provider: String, model: String, prompt: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in "\(provider)\u{0}\(model)\u{0}\(prompt)".utf8 {
      hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }

  /// The cached answer for `key`.
  public func verdict(for key: String) -> ReviewVerdict? { entries[key]?.verdict }

  /// Stores an answer.
  public mutating func store(_ verdict: ReviewVerdict, key: String, model: String, template: String)
  {
    entries[key] = Entry(
      verdict: verdict, model: model, template: template, stored: Date().timeIntervalSince1970)
  }

  /// Writes the cache.
  public func save() throws {
    let directory = (path as NSString).deletingLastPathComponent
    if !directory.isEmpty {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    try encoder.encode(File(version: 1, entries: entries)).write(
      to: URL(fileURLWithPath: path), options: .atomic)
  }
}
