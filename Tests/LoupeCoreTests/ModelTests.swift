import Foundation
import Testing

@testable import LoupeCore

@Suite struct ModelTests {
  func generate(_ path: String, labels: String, lines: Int, seed: UInt64) throws {
    let scenario = try #require(ScenarioCatalog.scenario(named: "sessions"))
    var settings = GeneratorSettings(lines: lines)
    settings.anomalyRate = 0.03
    settings.seed = seed
    var output = try LineWriter(path: path)
    var labelWriter: LabelWriter? = try LabelWriter(path: labels)
    _ = try scenario.generate(settings, output: &output, labels: &labelWriter)
  }

  @Test func trainSaveLoadAndJudgeNewLogs() throws {
    let directory = try Fixtures.temporaryDirectory()
    try generate(directory + "/train.log", labels: directory + "/train.csv", lines: 20_000, seed: 1)
    try generate(directory + "/test.log", labels: directory + "/test.csv", lines: 20_000, seed: 2)
    var options = AnalysisOptions()
    options.sessions = .key(#"blk_-?\d+"#)
    var trainer = Trainer(options: options)
    trainer.anomalousSessions = try SessionSplit.anomalousKeys(labelsPath: directory + "/train.csv")
    let (model, report) = try trainer.train([.file(directory + "/train.log")])
    #expect(report.excludedSessions > 20)
    #expect(report.excludedRecords > report.excludedSessions)
    #expect(report.records + report.excludedRecords == 20_000)
    // A template only anomalous sessions show is not counted as seen in training.
    let (_, mined, _, _) = try Analyzer(options: options).parse(.file(directory + "/train.log"))
    let failure = try #require(mined.templates.first { $0.text.contains("received exception") })
    #expect(model.templateCounts[failure.id] == nil)
    #expect(model.sessions?.sequence != nil && model.sessions?.pca != nil)
    #expect(model.recordForest != nil)
    let path = directory + "/model.json"
    try model.save(to: path)
    let loaded = try LoupeModel.load(path)
    #expect(loaded.templateCounts == model.templateCounts)
    #expect(loaded.settings.sessionKey == #"blk_-?\d+"#)
    #expect(loaded.sessions?.columns == model.sessions?.columns)

    var detect = AnalysisOptions()
    detect.model = loaded
    detect.templateState = loaded.templates
    detect.sessions = loaded.settings.sessionSpec
    let result = try Analyzer(options: detect).analyze(.file(directory + "/test.log"))
    let forest = try #require(result.reports.first { $0.name == "iforest" })
    #expect(forest.parameters["model"] == "trained forest")
    try ReportWriter(directory: directory + "/out", allRecords: false).write(
      result, summary: AnalysisSummary(result, options: detect), stem: "test")
    let evaluation = try DetectionEvaluation.evaluateSessions(
      labelsPath: directory + "/test.csv", predictedPath: directory + "/out")
    #expect(evaluation.f1 > 0.95)
    #expect(evaluation.unmatched == 0)
  }

  @Test func newTemplatesAgainstTheTrainingCounts() throws {
    let directory = try Fixtures.temporaryDirectory()
    let training = (0..<300).map {
      String(
        format: "2024-01-15 08:%02d:%02d INFO [Api] request %d served", $0 / 60 % 60, $0 % 60, $0)
    }
    try training.joined(separator: "\n").write(
      toFile: directory + "/train.log", atomically: true, encoding: .utf8)
    let (model, _) = try Trainer(options: AnalysisOptions()).train([.file(directory + "/train.log")]
    )
    var detect = AnalysisOptions()
    detect.detectors = ["rare"]
    detect.model = model
    detect.templateState = model.templates
    let test =
      training.prefix(100) + ["2024-01-15 09:00:00 INFO [Db] replica lag detected on node 4"]
    let result = try Analyzer(options: detect).analyze(
      Fixtures.buffer(test.joined(separator: "\n") + "\n"))
    #expect(result.findings.count == 1)
    #expect(result.findings.first?.reason.contains("never seen in training") == true)
    #expect(result.read.records[result.findings.first?.record ?? 0].line == 101)
  }

  @Test func foreignCorruptedAndNewerModelsAreRefused() throws {
    let directory = try Fixtures.temporaryDirectory()
    let path = directory + "/model.json"
    for (content, message) in [
      (#"{"format":"something-else","version":1}"#, "not a Loupe model (format 'something-else')"),
      (#"{"format":"loupe-model","version":99}"#, "version 99 is newer than this Loupe reads (1)"),
      (#"{"format":"loupe-model","version":1,"templates":3}"#, "corrupted model file"),
      ("\u{0}\u{1}binary", "not a Loupe model"),
    ] {
      try content.write(toFile: path, atomically: true, encoding: .utf8)
      do {
        _ = try LoupeModel.load(path)
        Issue.record("accepted \(content)")
      } catch {
        #expect(error.description.hasPrefix(path))
        #expect(error.description.contains(message), "\(error.description)")
      }
    }
    #expect(throws: LoupeModel.LoadError.self) { try LoupeModel.load(directory + "/missing.json") }
  }
}
