import ArgumentParser
import Foundation
import LoupeCore

/// `loupe parse INPUT`: template mining only, in the Loghub layout.
struct ParseCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "parse",
    abstract: "Mine templates and write the Loghub-style structured CSV and templates CSV.",
    discussion: """
      Writes OUTPUT (LineId,<header fields>,Content,EventId,EventTemplate) and \
      OUTPUT_templates.csv (EventId,EventTemplate,Occurrences), OUTPUT without its .csv.
      """)

  @Argument(help: "A log file, or - for standard input.")
  var input: String

  @Option(help: "Input format (default auto): \(FormatCatalog.names.joined(separator: ", ")).")
  var format: String = "auto"

  @Option(
    name: .customLong("log-format"),
    help: "A LOGPAI header format, e.g. '<Date> <Time> <Level> <Content>'.")
  var logFormat: String?

  @Option(help: "The structured CSV to write (default: STEM_structured.csv).")
  var output: String?

  @Option(help: "Year for timestamps that have none (default: the file's modification year).")
  var year: Int?

  @Option(
    help: "A template state file: read when it exists, then updated with this input's templates.")
  var state: String?

  func validate() throws {
    let known = FormatCatalog.names.map { $0.lowercased() }
    guard known.contains(format.lowercased()) else {
      throw ValidationError(
        "unknown format '\(format)'; known: \(FormatCatalog.names.joined(separator: ", "))")
    }
    if let logFormat {
      do {
        _ = try HeaderPattern(logFormat)
      } catch {
        throw ValidationError(error.description)
      }
    }
  }

  func run() throws {
    var options = AnalysisOptions()
    options.read.format = format
    options.read.logFormat = logFormat
    options.read.defaultYear = year
    let location: InputLocation = input == "-" ? .standardInput : .file(input)
    let started = Date()
    options.templateState = try StateFileOption.load(state)
    let parsed: Result<(ReadResult, TemplateMiner.Result, TemplateState), InputProblem> = Result {
      () throws(InputProblem) in try Analyzer(options: options).parse(location)
    }
    guard case .success(let (read, templates, learned)) = parsed else {
      if case .failure(let problem) = parsed {
        FileHandle.standardError.write(Data("loupe: \(problem.description)\n".utf8))
      }
      throw ExitCode(1)
    }
    try StateFileOption.save(learned, to: state)
    var stem =
      input == "-"
      ? "stdin" : ((input as NSString).lastPathComponent as NSString).deletingPathExtension
    if stem.isEmpty { stem = "parsed" }
    let path = output ?? "\(stem)_structured.csv"
    let base = path.hasSuffix(".csv") ? String(path.dropLast(4)) : path
    do {
      try StructuredOutput.writeRecords(read, templates, to: path)
      try StructuredOutput.writeTemplates(templates, to: base + "_templates.csv")
    } catch {
      FileHandle.standardError.write(Data("loupe: \(error.description)\n".utf8))
      throw ExitCode(1)
    }
    print(
      "\(input): \(read.records.count) records, \(templates.templates.count) templates (format \(read.formatName))"
        + String(format: " in %.2f s", Date().timeIntervalSince(started))
        + "; wrote \(path) and \(base)_templates.csv")
  }
}
