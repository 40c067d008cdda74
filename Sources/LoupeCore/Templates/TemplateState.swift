import Foundation

/// What template mining has learned, saved to a versioned JSON file (`--state FILE`) and
/// loaded to continue: the masked token sequences, their counts, and the configuration.
///
/// ```json
/// {"format": "loupe-template-state", "version": 1, "merge_threshold": 4,
///  "templates": [{"tokens": ["PacketResponder", "<*>", "terminating"], "count": 311, "first_line": 1}]}
/// ```
/// Plain JSON, decoded into value types only: nothing in the file can run code.
public struct TemplateState: Sendable {
  /// The file format's version this Loupe writes and reads.
  public static let version = 1

  var groups: [TemplateGroup]
  /// The merge threshold the templates were mined with.
  public var mergeThreshold: Int

  /// The number of stored token sequences.
  public var count: Int { groups.count }

  init(groups: [TemplateGroup], mergeThreshold: Int) {
    self.groups = groups
    self.mergeThreshold = mergeThreshold
  }

  /// A problem with a state file, naming it.
  public struct LoadError: Error, CustomStringConvertible {
    /// The sentence for the user.
    public var description: String
  }

  private struct File: Codable {
    struct Entry: Codable {
      var tokens: [String]
      var count: Int
      var firstLine: Int

      enum CodingKeys: String, CodingKey {
        case tokens, count
        case firstLine = "first_line"
      }
    }
    var format: String
    var version: Int
    var mergeThreshold: Int
    var templates: [Entry]

    enum CodingKeys: String, CodingKey {
      case format, version, templates
      case mergeThreshold = "merge_threshold"
    }
  }

  private var file: File {
    File(
      format: "loupe-template-state", version: Self.version, mergeThreshold: mergeThreshold,
      templates: groups.map { group in
        File.Entry(
          tokens: group.texts.map { String(decoding: $0, as: UTF8.self) }, count: group.count,
          firstLine: group.firstLine)
      })
  }

  /// The state as JSON.
  public func json() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(file)
  }

  /// Writes the state to `path` (through a temporary file, so a crash leaves the old one).
  /// - Throws: a file-system error.
  public func save(to path: String) throws {
    let temporary = path + ".tmp"
    try json().write(to: URL(fileURLWithPath: temporary))
    if FileManager.default.fileExists(atPath: path) {
      try FileManager.default.removeItem(atPath: path)
    }
    try FileManager.default.moveItem(atPath: temporary, toPath: path)
  }

  /// Loads a state file.
  /// - Throws: ``LoadError`` for an unreadable, malformed or newer-version file.
  public static func load(_ path: String) throws(LoadError) -> TemplateState {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LoadError(description: "\(path): cannot read the template state")
    }
    return try decode(data, name: path)
  }

  /// Decodes a state from JSON.
  /// - Throws: ``LoadError`` naming `name` when the data is not a state this Loupe reads.
  public static func decode(_ data: Data, name: String) throws(LoadError) -> TemplateState {
    let file: File
    do {
      file = try JSONDecoder().decode(File.self, from: data)
    } catch {
      throw LoadError(
        description: "\(name): not a Loupe template state (\(error.localizedDescription))")
    }
    return try validated(file, name: name)
  }

  private static func validated(_ file: File, name: String) throws(LoadError) -> TemplateState {
    guard file.format == "loupe-template-state" else {
      throw LoadError(description: "\(name): not a Loupe template state (format '\(file.format)')")
    }
    guard file.version <= version else {
      throw LoadError(
        description:
          "\(name): template state version \(file.version) is newer than this Loupe reads (\(version)); refusing it"
      )
    }
    guard file.mergeThreshold >= 2 else {
      throw LoadError(description: "\(name): invalid merge_threshold \(file.mergeThreshold)")
    }
    let groups = file.templates.map { entry in
      let texts = entry.tokens.map { Array($0.utf8) }
      return TemplateGroup(
        tokens: texts.map { Hashing.fnv1a($0) | 1 },
        texts: texts, variable: texts.map { Self.holdsWildcard($0) }, count: max(0, entry.count),
        runCount: 0,
        firstLine: entry.firstLine)
    }
    return TemplateState(groups: groups, mergeThreshold: file.mergeThreshold)
  }

  private static func holdsWildcard(_ text: [UInt8]) -> Bool {
    guard text.count >= 3 else { return false }
    for index in 0...(text.count - 3)
    where text[index] == 0x3C && text[index + 1] == 0x2A && text[index + 2] == 0x3E {
      return true
    }
    return false
  }
}

extension TemplateState: Codable {
  /// Encodes the state as its file form (for embedding in a model file).
  public func encode(to encoder: any Encoder) throws { try file.encode(to: encoder) }

  /// Decodes and validates the file form.
  public init(from decoder: any Decoder) throws {
    let file = try File(from: decoder)
    do {
      self = try Self.validated(file, name: "templates")
    } catch {
      throw DecodingError.dataCorrupted(
        DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.description))
    }
  }
}
