import Foundation
import Testing

@testable import LoupeCore

@Suite struct SessionTests {
  func read(_ lines: [String]) throws -> ReadResult {
    try RecordReader.read(
      Fixtures.buffer(lines.joined(separator: "\n") + "\n"), options: ReadOptions())
  }

  @Test func keysFromARegexFieldsAndSeveralKeysPerLine() throws {
    let result = try read([
      "081109 203615 148 INFO dfs.DataNode: Receiving block blk_1 src: /10.0.0.1",
      "081109 203616 148 INFO dfs.DataNode: Receiving block blk_-2 src: /10.0.0.2",
      "081109 203617 148 INFO dfs.FSNamesystem: delete blk_1 and blk_-2 and blk_1",
      "081109 203618 148 INFO dfs.DataNode: nothing here",
    ])
    let sessions = try SessionGrouper.group(
      result.records, buffer: result.buffer, spec: .key(#"blk_-?\d+"#))
    #expect(sessions.map(\.key) == ["blk_1", "blk_-2"])
    #expect(sessions[0].records == [0, 2])
    #expect(sessions[1].records == [1, 2])
    // A capture group is the key.
    let captured = try SessionGrouper.group(
      result.records, buffer: result.buffer, spec: .key(#"blk_(-?\d+)"#))
    #expect(captured.map(\.key) == ["1", "-2"])

    let json = try read([
      #"{"ts":"2024-01-15T08:00:00Z","msg":"start","request_id":"a"}"#,
      #"{"ts":"2024-01-15T08:00:01Z","msg":"start","request_id":"b"}"#,
      #"{"ts":"2024-01-15T08:00:02Z","msg":"done","request_id":"a"}"#,
    ])
    let byField = try SessionGrouper.group(
      json.records, buffer: json.buffer, spec: .key("request_id"))
    #expect(byField.map(\.key) == ["a", "b"])
    #expect(byField[0].records == [0, 2])
    #expect(byField[0].end == (byField[0].start ?? 0) + 2)
    #expect(throws: SessionGrouper.InvalidKey.self) {
      try SessionGrouper.group(json.records, buffer: json.buffer, spec: .key("(unclosed"))
    }
  }

  @Test func keyPatternFindsWhatARegularExpressionFinds() throws {
    let texts = [
      "delete blk_1 and blk_-22 then blk_333x blk_ blk-4",
      "req-00ff req-xyz req-a1b2c3 session=abc_1 session= session=Z",
      "user=alice id=42 id=-7 user=bob",
      "", "blk_", "no keys at all",
    ]
    let patterns = [
      #"blk_-?\d+"#, #"blk_(-?\d+)"#, #"req-([0-9a-f]+)"#, #"session=(\w+)"#, #"id=-?[0-9]+"#,
      #"user=(?:[a-z]+)"#, #"[a-z]+_\d"#,
    ]
    for pattern in patterns {
      let compiled = try #require(KeyPattern(pattern), "\(pattern)")
      let expression = try NSRegularExpression(pattern: pattern)
      for text in texts {
        let bytes = Array(text.utf8)
        let ours = bytes.withUnsafeBufferPointer { buffer in
          compiled.keys(buffer, ByteSpan(0, buffer.count)).map {
            String(decoding: bytes[$0.start..<$0.end], as: UTF8.self)
          }
        }
        let theirs = expression.matches(in: text, range: NSRange(text.startIndex..., in: text))
          .compactMap { match -> String? in
            let range = match.numberOfRanges > 1 ? match.range(at: 1) : match.range
            return Range(range, in: text).map { String(text[$0]) }
          }
        #expect(ours == theirs, "\(pattern) on \(text)")
      }
    }
    for unsupported in ["a|b", "^blk", "x{3}", "(a(b))", "(ab)+", #"\bword"#, "a*?", "x*"] {
      #expect(KeyPattern(unsupported) == nil, "\(unsupported)")
    }
  }

  @Test func fixedAndSlidingWindows() throws {
    let lines = (0..<10).map { String(format: "2024-01-15 08:%02d:00 INFO [Api] tick %d", $0, $0) }
    let result = try read(lines)
    let fixed = try SessionGrouper.group(
      result.records, buffer: result.buffer, spec: .window(length: 300, step: 300))
    #expect(fixed.map(\.records.count) == [5, 5])
    #expect(fixed.first?.key == "2024-01-15T08:00:00Z")
    let sliding = try SessionGrouper.group(
      result.records, buffer: result.buffer, spec: .window(length: 300, step: 60))
    // Windows start every minute from 08:00 (the step boundary at or before the first record).
    #expect(sliding.count == 10)
    #expect(sliding.allSatisfy { $0.records.count <= 5 })
    #expect(sliding.first { $0.key == "2024-01-15T08:02:00Z" }?.records == [2, 3, 4, 5, 6])
    #expect(SessionSpec.seconds("5m") == 300 && SessionSpec.seconds("250ms") == 0.25)
    #expect(SessionSpec.seconds("1h") == 3600 && SessionSpec.seconds("x") == nil)
  }

  /// Sessions written as letters, one template per letter.
  let letters = Array("ABCDX").map(String.init)
  func events(_ text: String) -> [Int] { text.compactMap { letters.firstIndex(of: String($0)) } }

  @Test func sequenceModelFlagsUnexpectedStepsNewEventsAndEarlyEnds() {
    let texts = letters.map { "event \($0)" }
    var model = SequenceModel(history: 2, candidates: 2)
    model.train(
      Array(repeating: events("ABCD"), count: 50) + Array(repeating: events("ABBCD"), count: 10),
      ids: letters, texts: texts)
    let eventOf = model.eventNumbers(ids: letters)
    #expect(eventOf[4] == -1)
    func surprises(_ text: String) -> [SequenceModel.Surprise] {
      model.surprises(events(text), eventOf: eventOf, ids: letters, texts: texts)
    }
    #expect(surprises("ABCD").isEmpty)
    #expect(surprises("ABBCD").isEmpty)
    let reordered = surprises("ACBD")
    #expect(reordered.first?.event == "C")
    #expect(reordered.first?.context == ["<start>", "event A"])
    #expect(reordered.first?.expected.contains("event B") == true)
    let new = surprises("ABXCD")
    #expect(new.contains { $0.isNew && $0.event == "X" })
    let early = surprises("ABC")
    #expect(early.contains { $0.event == nil })
  }

  @Test func sessionDetectorsOnGeneratedHDFSSessions() throws {
    let directory = try Fixtures.temporaryDirectory()
    let log = directory + "/sessions.log"
    let labels = directory + "/sessions.labels.csv"
    let scenario = try #require(ScenarioCatalog.scenario(named: "sessions"))
    var settings = GeneratorSettings(lines: 30_000)
    settings.anomalyRate = 0.03
    settings.seed = 5
    var output = try LineWriter(path: log)
    var labelWriter: LabelWriter? = try LabelWriter(path: labels)
    _ = try scenario.generate(settings, output: &output, labels: &labelWriter)
    var options = AnalysisOptions()
    options.detectors = ["sequence", "pca", "invariants", "iforest"]
    options.sessions = .key(#"blk_-?\d+"#)
    // Unsupervised, fitted on the input itself.
    let result = try Analyzer(options: options).analyze(.file(log))
    let sessions = try #require(result.sessions)
    let writer = ReportWriter(directory: directory + "/out", allRecords: false)
    try writer.write(result, summary: AnalysisSummary(result, options: options), stem: "sessions")
    let evaluation = try DetectionEvaluation.evaluateSessions(
      labelsPath: labels, predictedPath: directory + "/out")
    #expect(evaluation.level == "session")
    #expect(evaluation.unmatched == 0)
    #expect(evaluation.f1 > 0.95)
    for kind in evaluation.recallByKind {
      #expect(kind.detected == kind.lines, "\(kind.kind)")
    }
    // Semi-supervised: fitted on the normal sessions of the first half, judged on the second.
    options.sessionSplit = SessionSplit(
      trainFraction: 0.5, knownAnomalies: try SessionSplit.anomalousKeys(labelsPath: labels))
    let split = try Analyzer(options: options).analyze(.file(log))
    try writer.write(split, summary: AnalysisSummary(split, options: options), stem: "sessions")
    let semi = try DetectionEvaluation.evaluateSessions(
      labelsPath: labels, predictedPath: directory + "/out")
    #expect(semi.unmatched > 800 && semi.lines > 800)
    #expect(semi.f1 > 0.95)
    #expect((semi.rocAuc ?? 0) > 0.95)
    #expect(sessions.parameters["sequence"] != nil && sessions.parameters["pca"] != nil)
    let flagged = sessions.results.filter { $0.severity != nil }
    #expect(flagged.allSatisfy { !$0.reason.isEmpty })
    #expect(flagged.contains { $0.reason.contains("sequence: unexpected") })
    let csv = try String(contentsOfFile: directory + "/out/sessions_sessions.csv", encoding: .utf8)
    #expect(csv.hasPrefix("session,start,end,records,score,severity,anomalous,reason\n"))
    #expect(csv.split(separator: "\n").count == split.sessions.map { $0.results.count + 1 })
  }

  @Test func invariantsHoldInTrainingAndBreakInAnomalies() {
    // Per session: one open, one close, three writes — except a few noisy ones.
    var values: [Double] = []
    for session in 0..<200 {
      let opens = Double(1 + session % 2)
      values += [opens, opens, 3 * opens, Double(session % 7)]
    }
    let ids = ["open", "close", "write", "noise"]
    let counts = FeatureMatrix(columns: ids, values: values, rowCount: 200)
    let mining = InvariantMining(
      counts, ids: ids, texts: ["open <*>", "close <*>", "write <*>", "noise <*>"])
    let pairs = Set(mining.invariants.map { "\($0.first)-\($0.second) \($0.a):\($0.b)" })
    #expect(pairs == ["open-close 1:1", "open-write 1:3", "close-write 1:3"])
    let test = FeatureMatrix(
      columns: ids, values: [1, 1, 3, 0, 1, 0, 3, 5, 2, 2, 5, 1], rowCount: 3)
    let broken = mining.violations(test, ids: ids)
    #expect(broken[0].isEmpty)
    #expect(broken[1].count == 2)
    #expect(broken[2].count == 2)
    let sentence = mining.describe(broken[1][0], counts: test, row: 1, ids: ids)
    #expect(sentence.contains("\"open <*>\" 1 times and \"close <*>\" 0 times"))
  }

  /// An invariant that 0.5% of the training sessions break: kept when they are unlabelled (some
  /// may be anomalies), dropped when they are known to be normal (then it is not one).
  @Test func cleanTrainingSessionsNeedInvariantsToHoldAlmostAlways() {
    var assignments: [Int] = []
    var sessions: [Session] = []
    for session in 0..<1_000 {
      let start = assignments.count
      assignments += session % 200 == 0 ? [0, 1, 1] : [0, 1]
      sessions.append(
        Session(key: "s\(session)", records: Array(start..<assignments.count), start: nil, end: nil)
      )
    }
    let events = SessionAnalysis.Events(
      assignments: assignments, ids: ["open", "close"], texts: ["open <*>", "close <*>"],
      levels: Array(repeating: nil, count: assignments.count))
    func invariants(clean: Bool) -> [String] {
      SessionModels.fit(
        sessions, events: events, detectors: ["invariants"], seed: 1, cleanTraining: clean
      ).invariants?.invariants.map { "\($0.first)-\($0.second) \($0.a):\($0.b)" } ?? []
    }
    #expect(invariants(clean: false) == ["close-open 1:1"])
    #expect(invariants(clean: true).isEmpty)
  }

  @Test func firstTokenLabelsAsBGLWritesThem() throws {
    let directory = try Fixtures.temporaryDirectory()
    let path = directory + "/bgl.log"
    try "- 1 normal\nKERNDTLB 2 alert\n- 3 normal\n".write(
      toFile: path, atomically: true, encoding: .utf8)
    let labels = try DetectionEvaluation.lineLabels(path)
    #expect(labels.map(\.line) == [1, 2, 3])
    #expect(labels.map(\.anomalous) == [false, true, false])
    #expect(labels[1].kind == "KERNDTLB")
  }
}
