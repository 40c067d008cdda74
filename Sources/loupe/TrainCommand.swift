import ArgumentParser
import Foundation
import LoupeCore

/// `loupe train INPUT... --model FILE`: fit on (mostly normal) logs and save a model.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract:
      "Fit templates, the Isolation Forest and the session detectors on logs; save a model.",
    discussion: """
      The logs are assumed mostly normal. --labels leaves known anomalies out: sessions \
      (BlockId,Label or session,label) or, with one input, lines (line_number,label). Use the \
      model with: loupe analyze INPUT --model FILE.
      """)

  @Argument(help: "Log files, directories, or - for standard input.")
  var inputs: [String]

  @Option(help: "Where to write the model (JSON).")
  var model: String

  @OptionGroup var reading: InputFormatOptions

  @OptionGroup var sessionOptions: SessionOptions

  @Option(help: "A YAML config file (default: loupe.yaml in the working directory, when present).")
  var config: String?

  @Option(
    help:
      "Comma-separated detectors to train (default: iforest, rare and, with sessions, sequence, pca, invariants and the session forest; rules, field values, extreme values, secrets, floods, bursts, brute force and rates are judged on the input itself)."
  )
  var detectors: String?

  @Option(help: "Seed for all randomness (default 42).")
  var seed: UInt64?

  @Flag(help: "Print what was trained as JSON.")
  var json = false

  @Flag(name: [.short, .long], help: "Print nothing but errors.")
  var quiet = false

  func options() throws -> AnalysisOptions {
    let configuration = try ConfigFileOption.load(config)
    var options = AnalysisOptions()
    try reading.apply(
      to: &options.read, configFormat: configuration.format,
      configLogFormat: configuration.logFormat)
    options.sessions = try sessionOptions.spec(
      configKey: configuration.sessionKey, configWindow: configuration.window,
      configStep: configuration.step)
    options.sessionTFIDF = sessionOptions.tfidf
    guard sessionOptions.trainFraction == nil, sessionOptions.split == nil else {
      throw ValidationError("--train-fraction and --split apply to analyze, not train")
    }
    if let list = detectors.map({
      $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces).lowercased() }
    }) ?? configuration.detectors {
      let known = DetectorCatalog.names + SessionAnalysis.detectorNames
      guard let unknown = list.first(where: { !known.contains($0) }) else {
        options.detectors = list
        if let seed = seed ?? configuration.seed { options.seed = seed }
        return options
      }
      throw ValidationError(
        "unknown detector '\(unknown)'; known: \(known.joined(separator: ", "))")
    }
    if let seed = seed ?? configuration.seed { options.seed = seed }
    return options
  }

  func validate() throws {
    _ = try options()
  }

  func run() throws {
    var trainer = Trainer(options: try options())
    if let labels = sessionOptions.trainingLabels {
      if let sessions = try? SessionSplit.anomalousKeys(labelsPath: labels) {
        trainer.anomalousSessions = sessions
      } else {
        do {
          trainer.anomalousLines = Set(
            try DetectionEvaluation.lineLabels(labels).filter(\.anomalous).map(\.line))
        } catch {
          FileHandle.standardError.write(Data("loupe: \(error.description)\n".utf8))
          throw ExitCode(1)
        }
      }
    }
    let collection = InputCollector.collect(inputs)
    for skipped in collection.skipped {
      FileHandle.standardError.write(Data("loupe: \(skipped.description)\n".utf8))
    }
    guard !collection.inputs.isEmpty else { throw ExitCode(1) }
    let started = Date()
    let (trained, report): (LoupeModel, Trainer.Report)
    do {
      (trained, report) = try trainer.train(collection.inputs)
    } catch {
      FileHandle.standardError.write(Data("loupe: \(error.description)\n".utf8))
      throw ExitCode(1)
    }
    do {
      try trained.save(to: model)
    } catch {
      FileHandle.standardError.write(
        Data("loupe: \(model): cannot write the model: \(error.localizedDescription)\n".utf8))
      throw ExitCode(1)
    }
    let seconds = Date().timeIntervalSince(started)
    if json {
      let summary: [String: Any] = [
        "model": model, "records": report.records, "templates": report.templates,
        "sessions": report.sessions, "excluded_sessions": report.excludedSessions,
        "excluded_records": report.excludedRecords, "seconds": (seconds * 1000).rounded() / 1000,
        "record_forest": trained.recordForest != nil,
        "session_detectors": [
          trained.sessions?.sequence != nil ? "sequence" : nil,
          trained.sessions?.pca != nil ? "pca" : nil,
          trained.sessions?.invariants != nil ? "invariants" : nil,
          trained.sessions?.forest != nil ? "iforest" : nil,
        ].compactMap { $0 },
      ]
      let data = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
      print(String(decoding: data, as: UTF8.self))
    } else if !quiet {
      var line =
        "trained on \(report.records) records, \(report.templates) templates"
      if trained.sessions != nil { line += ", \(report.sessions) sessions" }
      if report.excludedSessions > 0 {
        line += " (\(report.excludedSessions) labelled anomalous left out)"
      }
      if report.excludedRecords > 0 {
        line += " (\(report.excludedRecords) records of known anomalies left out)"
      }
      print(line + String(format: " in %.1f s; model written to \(model)", seconds))
    }
  }
}
