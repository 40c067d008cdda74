import Foundation

/// A trained model (`loupe train … --model FILE`, used by `loupe analyze … --model FILE`):
/// one versioned JSON file with the template state, how often each template occurred in
/// training, the record-level Isolation Forest and its cut, and the session detectors.
///
/// Plain JSON decoded into value types only: nothing in the file can run code. A file of a
/// newer format version, or not a Loupe model, is refused with a sentence naming it.
public struct LoupeModel: Sendable, Codable {
  /// The file format's name.
  public static let formatName = "loupe-model"
  /// The format version this Loupe writes; it reads this one and older ones.
  public static let currentVersion = 1

  /// Always ``formatName``.
  public var format: String
  /// The format version the file was written with.
  public var version: Int
  /// The Loupe version that trained it.
  public var loupeVersion: String
  /// When it was trained (ISO 8601).
  public var trained: String
  /// How the training input was read and grouped.
  public var settings: Settings
  /// Records trained on.
  public var trainingRecords: Int
  /// The templates learned.
  public var templates: TemplateState
  /// Records per template id in training.
  public var templateCounts: [String: Int]
  /// The record-level forest, when `iforest` was trained.
  public var recordForest: RecordForest?
  /// The session detectors, when records were grouped.
  public var sessions: SessionModels?

  /// Reading and grouping settings that detection reuses unless flags override them.
  public struct Settings: Sendable, Codable, Equatable {
    /// The input format (`auto` or a name).
    public var format: String?
    /// A LOGPAI header format.
    public var logFormat: String?
    /// The session key.
    public var sessionKey: String?
    /// Window length and step in seconds.
    public var window: Double?
    /// The window step.
    public var step: Double?
    /// The detectors trained.
    public var detectors: [String]
    /// Creates settings.
    public init(
      format: String? = nil, logFormat: String? = nil, sessionKey: String? = nil,
      window: Double? = nil, step: Double? = nil, detectors: [String]
    ) {
      self.format = format
      self.logFormat = logFormat
      self.sessionKey = sessionKey
      self.window = window
      self.step = step
      self.detectors = detectors
    }

    /// The grouping these settings describe.
    public var sessionSpec: SessionSpec? {
      if let sessionKey { return .key(sessionKey) }
      if let window { return .window(length: window, step: step ?? window) }
      return nil
    }
  }

  /// The record-level Isolation Forest with the feature columns it was trained on.
  public struct RecordForest: Sendable, Codable {
    /// The feature columns, in order.
    public var columns: [String]
    /// The forest.
    public var forest: IsolationForest
    /// Scores above this are anomalous (the training input's 'auto' cut).
    public var cut: Double
  }

  /// A problem loading a model, naming the file.
  public struct LoadError: Error, CustomStringConvertible {
    /// The sentence for the user.
    public var description: String
  }

  /// Writes the model (through a temporary file, so a crash leaves any old one intact).
  public func save(to path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let temporary = path + ".tmp"
    try encoder.encode(self).write(to: URL(fileURLWithPath: temporary))
    if FileManager.default.fileExists(atPath: path) {
      try FileManager.default.removeItem(atPath: path)
    }
    try FileManager.default.moveItem(atPath: temporary, toPath: path)
  }

  /// Loads a model file.
  /// - Throws: ``LoadError`` for a missing, foreign, corrupted or newer-version file.
  public static func load(_ path: String) throws(LoadError) -> LoupeModel {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LoadError(description: "\(path): cannot read the model file")
    }
    return try decode(data, name: path)
  }

  /// Decodes a model file's bytes; `name` names it in errors.
  /// - Throws: ``LoadError`` for a foreign, corrupted or newer-version model.
  public static func decode(_ data: Data, name path: String) throws(LoadError) -> LoupeModel {
    // The header first, so that a newer file is refused by its version, not by a field this
    // Loupe does not know.
    struct Header: Decodable {
      var format: String?
      var version: Int?
    }
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    guard let header = try? decoder.decode(Header.self, from: data) else {
      throw LoadError(description: "\(path): not a Loupe model (not a JSON object)")
    }
    guard header.format == formatName else {
      throw LoadError(
        description: "\(path): not a Loupe model (format '\(header.format ?? "none")')")
    }
    guard let version = header.version, version >= 1 else {
      throw LoadError(description: "\(path): not a Loupe model (no version)")
    }
    guard version <= currentVersion else {
      throw LoadError(
        description:
          "\(path): model format version \(version) is newer than this Loupe reads (\(currentVersion)); retrain it or upgrade Loupe"
      )
    }
    do {
      return try decoder.decode(LoupeModel.self, from: data)
    } catch {
      throw LoadError(description: "\(path): corrupted model file (\(error.localizedDescription))")
    }
  }
}
