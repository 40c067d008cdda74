import Foundation
import Testing

@testable import LoupeCore

/// Grouping accuracy on every Loghub-2k system with the default configuration, against floors
/// a little under the figures reported in the README, so that a regression fails CI.
@Suite struct ParsingAccuracyTests {
  static let floors: [(String, Double)] = [
    ("HDFS", 0.99), ("Hadoop", 0.98), ("Spark", 0.99), ("Zookeeper", 0.98), ("BGL", 0.97),
    ("HPC", 0.96), ("Windows", 0.99), ("Linux", 0.93), ("Android", 0.93), ("Apache", 0.99),
  ]

  static func evaluate(_ system: String, corrected: Bool) throws -> ParsingEvaluation {
    var options = AnalysisOptions()
    options.read.format = "loghub:\(system)"
    options.read.defaultYear = 2024
    let (read, result, _, _) = try Analyzer(options: options).parse(
      .file(Fixtures.dataset("loghub-2k/\(system)/\(system)_2k.log")))
    let truth = try readStructuredCSV(
      Fixtures.dataset(
        "loghub-2k/\(system)/\(system)_2k.log_structured\(corrected ? "_corrected" : "").csv"))
    let assignments = read.records.enumerated().map { index, record in
      let template = result.templates[result.assignments[index]]
      let expected = truth[record.line - 1]
      return ParsingEvaluation.Assignment(
        trueGroup: expected["EventId"] ?? "", trueTemplate: expected["EventTemplate"] ?? "",
        predictedGroup: template.id, predictedTemplate: template.text)
    }
    return ParsingEvaluation.evaluate(assignments)
  }

  @Test(arguments: floors)
  func groupingAccuracyStaysAboveItsFloor(system: String, floor: Double) throws {
    let evaluation = try Self.evaluate(system, corrected: false)
    #expect(evaluation.lines == 2000)
    #expect(evaluation.groupingAccuracy >= floor, "\(system) GA \(evaluation.groupingAccuracy)")
  }

  @Test func meanGroupingAccuracyMeetsTheTarget() throws {
    let scores = try Self.floors.map { try Self.evaluate($0.0, corrected: false).groupingAccuracy }
    let mean = scores.reduce(0, +) / Double(scores.count)
    #expect(mean >= 0.97, "mean GA \(mean)")
    #expect(scores.allSatisfy { $0 >= 0.90 })
  }

  @Test func metricsFollowTheBenchmarkDefinitions() {
    typealias A = ParsingEvaluation.Assignment
    // Truth: {0,1} template "a <*>", {2} "b". Prediction: {0} , {1}, {2} with texts.
    let split = ParsingEvaluation.evaluate([
      A(trueGroup: "E1", trueTemplate: "a <*>", predictedGroup: "P1", predictedTemplate: "a 1"),
      A(trueGroup: "E1", trueTemplate: "a <*>", predictedGroup: "P2", predictedTemplate: "a 2"),
      A(trueGroup: "E2", trueTemplate: "b", predictedGroup: "P3", predictedTemplate: "b"),
    ])
    #expect(abs(split.groupingAccuracy - 0.3333) < 1e-4)
    #expect(abs(split.parsingAccuracy - 0.3333) < 1e-4)
    // Group precision 1/3, recall 1/2 → F1 0.4.
    #expect(abs(split.fga - 0.4) < 1e-4)
    #expect(abs(split.fta - 0.4) < 1e-4)
    let perfect = ParsingEvaluation.evaluate([
      A(trueGroup: "E1", trueTemplate: "a <*>", predictedGroup: "X", predictedTemplate: "a  <*>"),
      A(trueGroup: "E1", trueTemplate: "a <*>", predictedGroup: "X", predictedTemplate: "a <*>"),
    ])
    #expect(perfect.groupingAccuracy == 1)
    #expect(perfect.parsingAccuracy == 1)
    #expect(perfect.fta == 1)
  }
}
