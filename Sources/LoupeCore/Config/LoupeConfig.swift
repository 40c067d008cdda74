import Foundation
import Yams

/// The settings a YAML config file may hold (`--config FILE`, or `loupe.yaml` in the working
/// directory). Command-line flags override them. Keys:
///
/// ```yaml
/// format: auto            # or a format name
/// log_format: "<Date> <Time> <Level> <Content>"
/// detectors: [iforest, rules]
/// contamination: auto     # or a share such as 0.02
/// seed: 42
/// output: loupe-results
/// fail_on: high
/// all_records: false
/// max_record_bytes: 1048576
/// ```
public struct LoupeConfig: Sendable, Decodable, Equatable {
  /// The input format name.
  public var format: String?
  /// A LOGPAI header format.
  public var logFormat: String?
  /// The detectors to run.
  public var detectors: [String]?
  /// 'auto' or the share of records to flag.
  public var contamination: String?
  /// The random seed.
  public var seed: UInt64?
  /// The output directory.
  public var output: String?
  /// The severity that makes the run exit with status 3.
  public var failOn: String?
  /// Whether to write `STEM_records.csv`.
  public var allRecords: Bool?
  /// The longest record analysed whole, in bytes.
  public var maxRecordBytes: Int?

  enum CodingKeys: String, CodingKey {
    case format, detectors, contamination, seed, output
    case logFormat = "log_format"
    case failOn = "fail_on"
    case allRecords = "all_records"
    case maxRecordBytes = "max_record_bytes"
  }

  /// Creates an empty config.
  public init() {}

  /// Decodes the config, accepting `detectors` as a list or a comma-separated string and
  /// `contamination` as `auto` or a number.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    format = try container.decodeIfPresent(String.self, forKey: .format)
    logFormat = try container.decodeIfPresent(String.self, forKey: .logFormat)
    if let list = try? container.decodeIfPresent([String].self, forKey: .detectors) {
      detectors = list
    } else if let text = try container.decodeIfPresent(String.self, forKey: .detectors) {
      detectors = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }
    if let number = try? container.decodeIfPresent(Double.self, forKey: .contamination) {
      contamination = String(number)
    } else {
      contamination = try container.decodeIfPresent(String.self, forKey: .contamination)
    }
    seed = try container.decodeIfPresent(UInt64.self, forKey: .seed)
    output = try container.decodeIfPresent(String.self, forKey: .output)
    failOn = try container.decodeIfPresent(String.self, forKey: .failOn)
    allRecords = try container.decodeIfPresent(Bool.self, forKey: .allRecords)
    maxRecordBytes = try container.decodeIfPresent(Int.self, forKey: .maxRecordBytes)
  }

  /// A config problem, told in one sentence naming the file.
  public struct LoadError: Error, CustomStringConvertible {
    /// The sentence.
    public var description: String
  }

  /// Loads a config file.
  /// - Parameter path: the YAML file.
  /// - Returns: the settings.
  /// - Throws: ``LoadError`` when the file is missing or not valid YAML of this shape.
  public static func load(_ path: String) throws(LoadError) -> LoupeConfig {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LoadError(description: "\(path): the config file cannot be read")
    }
    let text = String(decoding: data, as: UTF8.self)
    if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return LoupeConfig() }
    do {
      return try YAMLDecoder().decode(LoupeConfig.self, from: text)
    } catch {
      throw LoadError(description: "\(path): invalid config: \(error)")
    }
  }
}
