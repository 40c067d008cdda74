import Foundation
import Testing

@testable import LoupeCore

/// Paths and helpers shared by the tests.
enum Fixtures {
  /// The package root.
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// `../shared/datasets` beside the package.
  static let datasets = root.deletingLastPathComponent().appendingPathComponent("shared/datasets")

  /// The path of a dataset file, e.g. `loghub-2k/HDFS/HDFS_2k.log`.
  static func dataset(_ relative: String) -> String {
    datasets.appendingPathComponent(relative).path
  }

  /// A buffer holding `text`.
  static func buffer(_ text: String, name: String = "test.log") -> SourceBuffer {
    SourceBuffer(name: name, bytes: Array(text.utf8))
  }

  /// A buffer holding raw bytes.
  static func buffer(bytes: [UInt8], name: String = "test.log") -> SourceBuffer {
    SourceBuffer(name: name, bytes: bytes)
  }

  /// Reads `text` with `format` (default auto) and returns the result.
  static func read(_ text: String, format: String = "auto", logFormat: String? = nil) throws
    -> ReadResult
  {
    var options = ReadOptions()
    options.format = format
    options.logFormat = logFormat
    options.defaultYear = 2024
    return try RecordReader.read(buffer(text), options: options)
  }

  /// Analyses `lines` (joined with newlines) with `detectors` (default: the default set), read
  /// as `format` with the year 2024 for dates that have none.
  static func analyze(
    _ lines: [String], detectors: [String]? = nil, format: String = "auto",
    ruleLimits: RuleLimits = RuleLimits()
  ) throws -> AnalysisResult {
    var options = AnalysisOptions()
    if let detectors { options.detectors = detectors }
    options.read.format = format
    options.read.defaultYear = 2024
    options.ruleLimits = ruleLimits
    return try Analyzer(options: options).analyze(buffer(lines.joined(separator: "\n") + "\n"))
  }

  /// A fresh temporary directory.
  /// A syslog line of January 15 at `second` seconds after midnight, from `host`.
  static func syslog(_ second: Int, host: String, _ message: String) -> String {
    String(
      format: "Jan 15 %02d:%02d:%02d %@ %@", second / 3600 % 24, second / 60 % 60, second % 60,
      host, message)
  }

  static func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "loupe-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}

extension ReadResult {
  /// The decoded text of a record's part.
  func text(_ ref: TextRef?) -> String? { ref.map { buffer.string($0) } }

  /// The value of a record's field.
  func field(_ record: Int, _ name: String) -> String? { text(records[record].field(name)) }
}

/// The epoch seconds of a UTC civil time, for expectations.
func epoch(
  _ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0
)
  -> Double
{
  Double(
    TimestampParser.daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}
