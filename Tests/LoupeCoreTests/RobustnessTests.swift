import Testing

@testable import LoupeCore

/// Random text through the whole pipeline: nothing may crash, whatever the bytes.
@Suite struct RobustnessTests {
  static func garbage(lines: Int, seed: UInt64) -> [UInt8] {
    var random = SeededRandom(seed: seed)
    let pieces: [String] = [
      " ", " ", " ", "B", "KB", "MB:", "GB.", "kB)", "5", "42", "-7", "0x1f", "blk_-9", "=", ":",
      ".", "/", "@",
      "(", ")", "[", "]", "{", "}", "\"", "'", ",", ";", "user", "Jul", "true", "password=", "eyJ",
      "AKIA",
      "4111 1111 1111 1111", "10.0.0.1:80", "a.b.c", "<*>", "\t", "é", "\u{FFFD}", "ERROR",
      "[INFO]",
    ]
    var bytes: [UInt8] = []
    for _ in 0..<lines {
      for _ in 0..<(1 + random.nextIndex(30)) {
        bytes += Array(pieces[random.nextIndex(pieces.count)].utf8)
      }
      bytes.append(0x0A)
    }
    return bytes
  }

  @Test(arguments: [1, 2, 3])
  func randomTextNeverCrashesThePipeline(seed: UInt64) throws {
    let bytes = Self.garbage(lines: 5000, seed: seed)
    for format in ["auto", "plain", "app", "syslog", "json", "csv", "access"] {
      var options = AnalysisOptions()
      options.read.format = format
      options.read.defaultYear = 2024
      let result = try Analyzer(options: options).analyze(
        SourceBuffer(name: "garbage.log", bytes: bytes))
      #expect(result.templates.assignments.count == result.read.records.count)
      _ = AnalysisSummary(result, options: options)
      options.streamingTemplates = true
      options.maximumTemplates = 32
      let streamed = try Analyzer(options: options).analyze(
        SourceBuffer(name: "garbage.log", bytes: bytes))
      #expect(streamed.templates.assignments.count == streamed.read.records.count)
    }
  }

  @Test func unitsWithPunctuationJoinTheirNumber() throws {
    let read = try Fixtures.read("free 5 KB: ok\nused 3 MB. done\nsize 7 B) end\n", format: "plain")
    let result = TemplateMiner().mine(read.records, in: read.buffer)
    #expect(result.templates.map(\.text) == ["free <*>: ok", "used <*>. done", "size <*>) end"])
  }
}
