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

/// The options that say how to mine templates, shared by `analyze` and `parse`.
struct MiningOptions: ParsableArguments {
  @Option(
    help: "A template state file: read when it exists, then updated with what the run learned.")
  var state: String?

  @Flag(
    help:
      "Mine templates one record at a time with a cap on the templates kept (bounded memory), then re-label every record with the final templates."
  )
  var stream = false

  @Option(
    name: .customLong("max-templates"), help: "The template cap in --stream mode (default 50000).")
  var maxTemplates: Int?

  /// Sets `options` from these options.
  /// - Throws: `ValidationError` for a cap below 16 or a cap without `--stream`.
  func apply(to options: inout AnalysisOptions) throws {
    options.streamingTemplates = stream
    if let maxTemplates {
      guard stream else { throw ValidationError("--max-templates applies to --stream mode") }
      guard maxTemplates >= 16 else { throw ValidationError("--max-templates must be at least 16") }
      options.maximumTemplates = maxTemplates
    }
  }
}
