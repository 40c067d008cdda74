import ArgumentParser
import Foundation
import LoupeCore

/// `loupe evaluate`: measure Loupe against labelled data.
struct EvaluateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate",
    abstract: "Measure findings against labels.",
    subcommands: [EvaluateDetectionCommand.self, EvaluateParsingCommand.self])
}

/// `loupe evaluate detection --labels LABELS.csv --predicted DIR_OR_CSV`.
struct EvaluateDetectionCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "detection",
    abstract: "Precision, recall, F1, ROC-AUC and the confusion matrix of analyze's findings.",
    discussion: """
      Labels: a CSV with line_number and label columns (1/0, true/false, anomaly/normal) and \
      optionally kind, as loupe generate --labels writes. Predicted: a STEM_anomalies.csv or \
      the --output directory of loupe analyze; run analyze with --all-records so that every \
      record has a score for the ROC-AUC.
      """)

  @Option(help: "The labels CSV (line_number,label[,kind]).")
  var labels: String

  @Option(help: "A STEM_anomalies.csv, or the directory analyze wrote it to.")
  var predicted: String

  @Option(
    help:
      "Evaluation level: line (labels line_number,label[,kind] or BGL-style first tokens; predicted STEM_anomalies.csv) or session (labels BlockId,Label or session,label; predicted STEM_sessions.csv)."
  )
  var level: String = "line"

  @Option(
    help:
      "Count only findings at or above this severity as predicted: low (every finding, the default), medium, high or critical."
  )
  var minSeverity: String = "low"

  @Option(help: "Write the evaluation as JSON to this file (default: loupe-evaluation.json).")
  var output: String = "loupe-evaluation.json"

  @Flag(help: "Print the evaluation as JSON instead of a table.")
  var json = false

  func validate() throws {
    guard level == "line" || level == "session" else {
      throw ValidationError("--level must be line or session, not '\(level)'")
    }
    guard Severity(rawValue: minSeverity) != nil else {
      throw ValidationError(
        "--min-severity must be low, medium, high or critical, not '\(minSeverity)'")
    }
  }

  func run() throws {
    let evaluation: DetectionEvaluation
    // Every finding is at least low: no cut then.
    let cut = Severity(rawValue: minSeverity).flatMap { $0 > .low ? $0 : nil }
    do {
      evaluation =
        level == "session"
        ? try DetectionEvaluation.evaluateSessions(
          labelsPath: labels, predictedPath: predicted, minSeverity: cut)
        : try DetectionEvaluation.evaluate(
          labelsPath: labels, predictedPath: predicted, minSeverity: cut)
    } catch {
      FileHandle.standardError.write(Data("loupe: \(error.description)\n".utf8))
      throw ExitCode(1)
    }
    let data = try JSONOutput.encode(evaluation)
    do {
      try data.write(to: URL(fileURLWithPath: output))
    } catch {
      FileHandle.standardError.write(
        Data("loupe: \(output): cannot write: \(error.localizedDescription)\n".utf8))
      throw ExitCode(1)
    }
    if json {
      print(String(decoding: data, as: UTF8.self))
      return
    }
    print(Self.table(evaluation))
    print("written to \(output)")
  }

  static func table(_ evaluation: DetectionEvaluation) -> String {
    func pad(_ text: String, _ width: Int) -> String {
      String(repeating: " ", count: max(0, width - text.count)) + text
    }
    func number(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "n/a" }
    var lines = [
      "\(evaluation.lines) labelled \(evaluation.level)s, \(evaluation.anomalies) anomalous; scores from \(evaluation.scoreSource)"
        + (evaluation.minSeverity.map { "; counting findings at or above \($0.rawValue)" } ?? "")
        + (evaluation.unmatched > 0
          ? "; \(evaluation.unmatched) labelled sessions not judged (training share or not found)"
          : ""),
      "",
      "                  predicted anomaly  predicted normal",
      "actual anomaly    \(pad(String(evaluation.truePositives), 17))  \(pad(String(evaluation.falseNegatives), 16))",
      "actual normal     \(pad(String(evaluation.falsePositives), 17))  \(pad(String(evaluation.trueNegatives), 16))",
      "",
      "precision \(number(evaluation.precision))  recall \(number(evaluation.recall))  F1 \(number(evaluation.f1))  accuracy \(number(evaluation.accuracy))  ROC-AUC \(number(evaluation.rocAuc))",
    ]
    if !evaluation.bySeverity.isEmpty {
      lines.append("")
      lines.append("counting findings at or above:")
      for cut in evaluation.bySeverity {
        lines.append(
          "  \(cut.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))  \(pad(String(cut.flagged), 7)) flagged  precision \(number(cut.precision))  recall \(number(cut.recall))  F1 \(number(cut.f1))"
        )
      }
    }
    if !evaluation.recallByKind.isEmpty {
      lines.append("")
      lines.append("recall by kind:")
      let width = evaluation.recallByKind.map(\.kind.count).max() ?? 0
      for kind in evaluation.recallByKind {
        let share = Double(kind.detected) / Double(max(kind.lines, 1))
        lines.append(
          "  \(kind.kind.padding(toLength: width, withPad: " ", startingAt: 0))  \(pad(String(kind.detected), 6)) / \(pad(String(kind.lines), 6))  \(String(format: "%.2f", share))"
        )
      }
    }
    return lines.joined(separator: "\n")
  }
}

/// `loupe evaluate parsing --truth STRUCTURED.csv --predicted STRUCTURED.csv`.
struct EvaluateParsingCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "parsing",
    abstract: "Grouping accuracy (GA), parsing accuracy (PA), FGA and FTA of mined templates.")

  @Option(help: "The ground truth: a Loghub structured CSV (LineId,...,EventId,EventTemplate).")
  var truth: String

  @Option(help: "The prediction: loupe parse's structured CSV.")
  var predicted: String

  @Flag(help: "Print the evaluation as JSON.")
  var json = false

  func run() throws {
    let evaluation: ParsingEvaluation
    do {
      evaluation = try ParsingEvaluation.evaluate(truthPath: truth, predictedPath: predicted)
    } catch {
      FileHandle.standardError.write(Data("loupe: \(error.description)\n".utf8))
      throw ExitCode(1)
    }
    if json {
      print(String(decoding: try JSONOutput.encode(evaluation), as: UTF8.self))
      return
    }
    print(
      "\(evaluation.lines) lines, \(evaluation.trueTemplates) true templates, \(evaluation.predictedTemplates) predicted\n"
        + String(
          format: "GA %.4f  PA %.4f  FGA %.4f  FTA %.4f", evaluation.groupingAccuracy,
          evaluation.parsingAccuracy,
          evaluation.fga, evaluation.fta))
  }
}
