import ArgumentParser
import Foundation
import LoupeCore

/// `loupe generate SCENARIO`: synthetic logs with labelled anomalies.
struct GenerateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "generate",
    abstract: "Write a realistic synthetic log with labelled anomalies.",
    discussion: "Scenarios:\n"
      + ScenarioCatalog.all.map {
        "  \($0.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \($0.summary)"
      }
      .joined(separator: "\n"))

  @Argument(help: "The scenario: \(ScenarioCatalog.all.map(\.name).joined(separator: ", ")).")
  var scenario: String

  @Option(help: "Lines to write (a CSV's header counts as one).")
  var lines: Int

  @Option(
    name: .customLong("anomaly-rate"),
    help: "Share of anomalous lines (of sessions for 'sessions'), 0…1 (default 0.03).")
  var anomalyRate: Double = 0.03

  @Option(help: "Seed: equal options give byte-identical files (default 42).")
  var seed: UInt64 = 42

  @Option(help: "First timestamp, e.g. 2024-01-15T08:00:00Z (default).")
  var start: String?

  @Option(help: "The log file to write, or - for standard output.")
  var output: String

  @Option(help: "Write labels here: line_number,label,kind (session,label,kind for 'sessions').")
  var labels: String?

  func validate() throws {
    guard ScenarioCatalog.scenario(named: scenario) != nil else {
      throw ValidationError(
        "unknown scenario '\(scenario)'; known: \(ScenarioCatalog.all.map(\.name).joined(separator: ", "))"
      )
    }
    guard lines >= 1 else { throw ValidationError("--lines must be at least 1") }
    guard (0...1).contains(anomalyRate) else {
      throw ValidationError("--anomaly-rate must be between 0 and 1")
    }
    if let start, startTime(start) == nil {
      throw ValidationError("--start '\(start)' is not a timestamp such as 2024-01-15T08:00:00Z")
    }
  }

  private func startTime(_ text: String) -> Double? {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBufferPointer {
      TimestampParser(defaultYear: 2024).parse($0, ByteSpan(0, bytes.count))
    }
  }

  func run() throws {
    guard let generator = ScenarioCatalog.scenario(named: scenario) else { throw ExitCode(64) }
    var settings = GeneratorSettings(lines: lines)
    settings.anomalyRate = anomalyRate
    settings.seed = seed
    if let start, let time = startTime(start) { settings.start = time }
    let started = Date()
    let summary: GenerationSummary
    do {
      var writer = try LineWriter(path: output)
      var labelWriter = try labels.map { path throws(LineWriter.WriteError) in
        try LabelWriter(path: path)
      }
      summary = try generator.generate(settings, output: &writer, labels: &labelWriter)
    } catch {
      FileHandle.standardError.write(Data("loupe: \(error.description)\n".utf8))
      throw ExitCode(1)
    }
    guard output != "-" else { return }
    let seconds = Date().timeIntervalSince(started)
    var text = "wrote \(summary.lines) lines to \(output)"
    if let sessions = summary.sessions, let anomalous = summary.anomalousSessions {
      text += ": \(sessions) sessions, \(anomalous) anomalous"
    } else {
      let share = String(
        format: "%.2f%%", Double(summary.anomalousLines) * 100 / Double(max(summary.lines, 1)))
      text += ": \(summary.anomalousLines) anomalous (\(share))"
    }
    text += " of \(summary.kinds.count) kinds"
    if let labels { text += "; labels in \(labels)" }
    text += String(format: " (%.2f s)", seconds)
    print(text)
  }
}
