import ArgumentParser
import LoupeCore

/// The options that say how to read inputs, shared by `analyze` and `parse`.
struct InputFormatOptions: ParsableArguments {
  @Option(help: "Input format (default auto): \(FormatCatalog.names.joined(separator: ", ")).")
  var format: String?

  @Option(
    name: .customLong("log-format"),
    help: "A LOGPAI header format, e.g. '<Date> <Time> <Level> <Content>'.")
  var logFormat: String?

  @Option(help: "Year for timestamps that have none (default: the file's modification year).")
  var year: Int?

  @Option(
    help: "A template state file: read when it exists, then updated with what the run learned.")
  var state: String?

  /// Sets `read` from these options, falling back to a config file's values.
  /// - Throws: `ValidationError` for an unknown format, an invalid header format or year.
  func apply(
    to read: inout ReadOptions, configFormat: String? = nil, configLogFormat: String? = nil
  ) throws {
    if let name = format ?? configFormat {
      guard FormatCatalog.isKnown(name) else {
        throw ValidationError(
          "unknown format '\(name)'; known: \(FormatCatalog.names.joined(separator: ", "))")
      }
      read.format = name
    }
    read.logFormat = logFormat ?? configLogFormat
    if let logFormat = read.logFormat {
      do {
        _ = try HeaderPattern(logFormat)
      } catch {
        throw ValidationError(error.description)
      }
    }
    if let year {
      guard (1...9999).contains(year) else {
        throw ValidationError("--year must be between 1 and 9999")
      }
      read.defaultYear = year
    }
  }
}
