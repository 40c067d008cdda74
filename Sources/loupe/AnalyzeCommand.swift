import ArgumentParser
import Foundation
import LoupeConnect
import LoupeCore
import LoupeStore

/// `loupe analyze INPUT...`: the main job.
struct AnalyzeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "analyze",
    abstract: "Read logs, mine templates, run the detectors and write the findings.",
    discussion: """
      INPUT is a file (plain or gzip), a directory (every log file in it) or - for standard \
      input. Writes STEM_anomalies.csv, STEM_anomalies.jsonl, STEM_templates.csv and \
      STEM_summary.json into --output (with --all-records also STEM_records.csv; with \
      --session-key or --window also STEM_sessions.csv). Exit status: 0 done, 1 no input could \
      be processed, 3 --fail-on triggered, 64 bad usage.
      """)

  @Argument(help: "Log files, directories, or - for standard input.")
  var inputs: [String]

  @OptionGroup var reading: InputFormatOptions

  @OptionGroup var mining: MiningOptions

  @OptionGroup var sessionOptions: SessionOptions

  @OptionGroup var followUpOptions: FollowUpOptions

  @Option(help: "A YAML config file (default: loupe.yaml in the working directory, when present).")
  var config: String?

  @Option(
    help:
      "A model file from loupe train: judge with its templates, forest and session detectors instead of fitting on the input."
  )
  var model: String?

  @Option(help: "Directory for the result files (default: ./loupe-results).")
  var output: String?

  @Option(
    help:
      "Comma-separated detectors to run (default: \(DetectorCatalog.defaultNames.joined(separator: ",")); also: lof, autoencoder)."
  )
  var detectors: String?

  @Option(help: "Expected anomaly share for threshold-based detectors, or 'auto'.")
  var contamination: String?

  @Option(help: "Seed for all randomness (default 42).")
  var seed: UInt64?

  @Option(
    name: .customLong("fail-on"),
    help:
      "Exit with status 3 when a finding is at or above this severity (low, medium, high, critical)."
  )
  var failOn: String?

  @Option(
    name: .customLong("max-record-bytes"),
    help: "Analyse at most this many bytes of each record (default 1048576).")
  var maxRecordBytes: Int?

  @Flag(name: .customLong("all-records"), help: "Also write STEM_records.csv with every record.")
  var allRecords = false

  @Option(
    name: .customLong("group-by"),
    help:
      "The field that groups records in STEM_summary.csv and the report's heatmaps (default: the component, process or host), e.g. Basename."
  )
  var groupBy: String?

  @Option(help: "Also write each chart of the report as a standalone SVG into this directory.")
  var plots: String?

  @Option(
    name: .customLong("heatmap-by"),
    help:
      "The field whose values are the columns of the report's first heatmap, e.g. ActionId (default: the templates)."
  )
  var heatmapBy: String?

  @Option(
    help:
      "Also record the run in a database: a SQLite file (sqlite:PATH or a path) or postgres://user@host:port/db, as loupe serve reads it."
  )
  var store: String?

  @Flag(help: "Print the summary as JSON on standard output.")
  var json = false

  @Flag(name: [.short, .long], help: "Print nothing but errors.")
  var quiet = false

  @Flag(name: .customLong("no-color"), help: "Plain text output (also when NO_COLOR is set).")
  var noColor = false

  /// The settings after merging the config file and the flags.
  struct Settings {
    var options: AnalysisOptions
    var output: String
    var failOn: Severity?
    var allRecords: Bool
    var followUp: ConnectedFollowUp?
  }

  func settings() throws -> Settings {
    let configuration = try ConfigFileOption.load(config)
    // The config's settings first, then the flags over them.
    var options = try ConfigFileOption.analysisOptions(configuration)
    try reading.apply(
      to: &options.read, configFormat: configuration.format,
      configLogFormat: configuration.logFormat)
    try mining.apply(to: &options)
    options.sessions = try sessionOptions.spec(
      configKey: configuration.sessionKey, configWindow: configuration.window,
      configStep: configuration.step)
    options.sessionTFIDF = sessionOptions.tfidf
    options.sessionSplit = try sessionOptions.sessionSplit()
    if let detectors {
      options.detectors = try ConfigFileOption.detectorNames(
        detectors.split(separator: ",").map(String.init))
    }
    if let contamination {
      options.contamination = try ConfigFileOption.contamination(contamination)
    }
    if let seed { options.seed = seed }
    if let limit = maxRecordBytes ?? configuration.maxRecordBytes {
      guard limit >= 64 else { throw ValidationError("--max-record-bytes must be at least 64") }
      options.read.maxRecordBytes = limit
    }
    var threshold: Severity?
    if let text = failOn ?? configuration.failOn {
      guard let severity = Severity(rawValue: text.lowercased()) else {
        throw ValidationError("--fail-on must be low, medium, high or critical, not '\(text)'")
      }
      threshold = severity
    }
    let outputDirectory = output ?? configuration.output ?? "loupe-results"
    return Settings(
      options: options, output: outputDirectory, failOn: threshold,
      allRecords: allRecords || configuration.allRecords == true,
      followUp: try followUpOptions.followUp(configuration, outputDirectory: outputDirectory))
  }

  func validate() throws {
    _ = try settings()
  }

  func run() async throws {
    var settings = try settings()
    settings.options.templateState = try StateFileOption.load(mining.state)
    if let model {
      guard mining.state == nil else {
        throw ValidationError("--model carries its own templates; leave out --state")
      }
      let trained: LoupeModel
      do {
        trained = try LoupeModel.load(model)
      } catch {
        FileHandle.standardError.write(Data("loupe: \(error.description)\n".utf8))
        throw ExitCode(1)
      }
      settings.options.model = trained
      settings.options.templateState = trained.templates
      // The training input's reading and grouping, unless flags or the config say otherwise.
      if reading.format == nil, reading.logFormat == nil, settings.options.read.format == "auto",
        settings.options.read.logFormat == nil
      {
        settings.options.read.format = trained.settings.format ?? "auto"
        settings.options.read.logFormat = trained.settings.logFormat
      }
      if settings.options.sessions == nil {
        settings.options.sessions = trained.settings.sessionSpec
      }
    }
    var database: SQLResultStore?
    if let store {
      do {
        database = try await StoreOpener.open(store)
      } catch {
        FileHandle.standardError.write(Data("loupe: \(error)\n".utf8))
        throw ExitCode(1)
      }
    }
    let started = Date()
    var bar: ProgressBar?
    if !quiet && !json && ProgressBar.wanted {
      let sink = ProgressSink()
      settings.options.progress = sink
      bar = ProgressBar(sink: sink)
      bar?.start()
    }
    var batch = BatchAnalysis(
      options: settings.options,
      writer: {
        var writer = ReportWriter(
          directory: settings.output, allRecords: settings.allRecords, groupBy: groupBy,
          plotsDirectory: plots)
        writer.heatmapBy = heatmapBy
        return writer
      }())
    batch.followUp = settings.followUp
    let terminal = TerminalSummary(
      color: !noColor && ProcessInfo.processInfo.environment["NO_COLOR"] == nil && isatty(1) != 0)
    let report = await batch.run(inputs) { outcome in
      if !quiet && !json && bar == nil { print(terminal.render(outcome)) }
    }
    bar?.stop()
    if bar != nil {
      for outcome in report.outcomes { print(terminal.render(outcome)) }
    }
    for failure in report.failures {
      FileHandle.standardError.write(Data("loupe: \(failure.description)\n".utf8))
    }
    for outcome in report.outcomes {
      for problem in outcome.result.problems {
        FileHandle.standardError.write(Data("loupe: warning: \(problem.description)\n".utf8))
      }
    }
    if json {
      let documents = report.outcomes.compactMap { try? $0.summary.json() }
      let text =
        documents.count == 1
        ? String(decoding: documents[0], as: UTF8.self)
        : "[" + documents.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ",\n") + "]"
      print(text)
    } else if !quiet {
      print(
        terminal.footer(report, output: settings.output, seconds: Date().timeIntervalSince(started))
      )
    }
    if let database {
      await record(report, in: database, options: settings.options)
      await database.close()
    }
    guard !report.outcomes.isEmpty else { throw ExitCode(1) }
    try StateFileOption.save(report.templateState, to: mining.state)
    if let threshold = settings.failOn,
      report.outcomes.contains(where: { outcome in
        outcome.result.findings.contains { $0.severity >= threshold }
          || (outcome.result.sessions?.results.contains {
            ($0.severity ?? .low) >= threshold && $0.severity != nil
          } ?? false)
      })
    {
      throw ExitCode(3)
    }
  }

  /// Records each analysed input in the database (`--store`), one transaction each.
  private func record(
    _ report: BatchAnalysis.Report, in database: SQLResultStore, options: AnalysisOptions
  )
    async
  {
    let config =
      (try? JSONSerialization.data(
        withJSONObject: ["detectors": options.detectors, "source": "cli"], options: [.sortedKeys]))
      .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    for outcome in report.outcomes {
      do {
        let record = try AnalysisRecord(
          result: outcome.result, summary: outcome.summary, owner: "cli", inputName: outcome.name,
          config: config)
        try await database.save(record)
        if !quiet && !json {
          print(
            "recorded \(outcome.name) as analysis \(record.analysis.id) in \(StoreError.redacted(store ?? ""))"
          )
        }
      } catch {
        FileHandle.standardError.write(
          Data("loupe: \(outcome.name): cannot record the run in the database: \(error)\n".utf8))
      }
    }
  }
}
