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

  @OptionGroup var reading: InputFormatOptions

  @OptionGroup var mining: MiningOptions

  @Option(help: "The structured CSV to write (default: STEM_structured.csv).")
  var output: String?

  func validate() throws {
    var options = AnalysisOptions()
    try reading.apply(to: &options.read)
    try mining.apply(to: &options)
  }

  func run() throws {
    var options = AnalysisOptions()
    try reading.apply(to: &options.read)
    try mining.apply(to: &options)
    let location: InputLocation = input == "-" ? .standardInput : .file(input)
    let started = Date()
    options.templateState = try StateFileOption.load(mining.state)
    let parsed:
      Result<(ReadResult, TemplateMiner.Result, TemplateState, MiningReport), InputProblem> = Result
      {
        () throws(InputProblem) in try Analyzer(options: options).parse(location)
      }
    guard case .success(let (read, templates, learned, report)) = parsed else {
      if case .failure(let problem) = parsed {
        FileHandle.standardError.write(Data("loupe: \(problem.description)\n".utf8))
      }
      throw ExitCode(1)
    }
    try StateFileOption.save(learned, to: mining.state)
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
    if report.evicted > 0, let cap = report.maxTemplates {
      print(
        "stream mode: \(report.evicted) template groups evicted to respect --max-templates \(cap)")
    }
  }
}
