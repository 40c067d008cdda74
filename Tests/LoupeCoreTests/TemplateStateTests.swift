import Foundation
import Testing

@testable import LoupeCore

@Suite struct TemplateStateTests {
  func hdfs() throws -> ReadResult {
    var options = ReadOptions()
    options.format = "loghub:HDFS"
    options.defaultYear = 2024
    return try RecordReader.read(
      try InputReader.read(.file(Fixtures.dataset("loghub-2k/HDFS/HDFS_2k.log"))).0,
      options: options)
  }

  @Test func stateRoundTripsAndContinues() throws {
    let read = try hdfs()
    let (first, state) = TemplateMiner().mine(read.records, in: read.buffer, state: nil)
    let directory = try Fixtures.temporaryDirectory()
    let path = directory + "/state.json"
    try state.save(to: path)
    let loaded = try TemplateState.load(path)
    #expect(loaded.count == state.count)
    let (second, continued) = TemplateMiner().mine(read.records, in: read.buffer, state: loaded)
    #expect(second.templates.map(\.id) == first.templates.map(\.id))
    #expect(second.templates.map(\.count) == first.templates.map(\.count))
    #expect(continued.count == state.count)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.contains("\"format\":\"loupe-template-state\""))
    #expect(text.contains("\"version\":1"))
  }

  /// A state handed over in memory (the next file of a directory, the next window of a
  /// stream) gives each run its own counts and only the templates it saw.
  @Test func aStateInMemoryCountsOnlyThisRun() throws {
    let read = try hdfs()
    let (first, state) = TemplateMiner().mine(read.records, in: read.buffer, state: nil)
    let (second, _) = TemplateMiner().mine(read.records, in: read.buffer, state: state)
    #expect(second.templates.map(\.count) == first.templates.map(\.count))
    let other = try Fixtures.read("disk full on /dev/sda1\ndisk full on /dev/sdb2\n")
    let (third, _) = TemplateMiner().mine(other.records, in: other.buffer, state: state)
    #expect(third.templates.map(\.count) == [2])
  }

  @Test func badStateFilesAreRefusedByName() throws {
    let directory = try Fixtures.temporaryDirectory()
    let cases: [(String, String)] = [
      (
        "newer.json",
        #"{"format":"loupe-template-state","version":99,"merge_threshold":4,"templates":[]}"#
      ),
      (
        "other.json", #"{"format":"something-else","version":1,"merge_threshold":4,"templates":[]}"#
      ),
      ("broken.json", #"{"format":"loupe-template-state","vers"#),
      ("binary.json", "\u{0}\u{1}\u{2}"),
    ]
    for (name, content) in cases {
      let path = directory + "/" + name
      try content.write(toFile: path, atomically: true, encoding: .utf8)
      #expect {
        try TemplateState.load(path)
      } throws: { error in
        let text = (error as? TemplateState.LoadError)?.description ?? ""
        return text.hasPrefix(path + ": ")
          && (name != "newer.json" || text.contains("version 99 is newer"))
      }
    }
    #expect(throws: TemplateState.LoadError.self) {
      try TemplateState.load(directory + "/missing.json")
    }
  }

  @Test func templatesBecomeMatchersForNewLines() throws {
    let read = try hdfs()
    let (_, state) = TemplateMiner().mine(read.records, in: read.buffer, state: nil)
    let matcher = TemplateMatcher(state)
    let match = try #require(matcher.match("PacketResponder 7 for block blk_-42 terminating"))
    #expect(match.text == "PacketResponder <*> for block <*> terminating")
    #expect(match.id == Template.id(for: match.text))
    #expect(matcher.match("a message no HDFS node ever wrote") == nil)

    var lines = (1...6).map {
      "session opened for user u\(["alice", "bob", "carol", "dave", "erin", "frank"][$0 - 1]) by admin"
    }
    lines.append("x")
    let small = try Fixtures.read(lines.joined(separator: "\n") + "\n", format: "plain")
    let (_, learned) = TemplateMiner().mine(small.records, in: small.buffer, state: nil)
    let users = TemplateMatcher(learned)
    #expect(
      users.match("session opened for user zed by admin")?.text
        == "session opened for user <*> by admin")
  }

  @Test func streamingMinerRefinesAndRespectsItsCap() throws {
    let read = try hdfs()
    let streaming = StreamingTemplateMiner()
    read.buffer.bytes.withUnsafeBufferPointer { bytes in
      for record in read.records { streaming.add(bytes, record.message.span, line: record.line) }
    }
    streaming.refine()
    let batch = TemplateMiner().mine(read.records, in: read.buffer)
    #expect(Set(streaming.templates.map(\.text)) == Set(batch.templates.map(\.text)))
    #expect(streaming.messages == 2000)

    let capped = StreamingTemplateMiner(maximumGroups: 16)
    for index in 0..<500 {
      capped.add(
        "event kind\(String(UnicodeScalar(97 + index % 26)!))\(String(UnicodeScalar(97 + index / 26 % 26)!)) happened",
        line: index + 1)
    }
    #expect(capped.groupCount <= 16)
    #expect(capped.evicted > 0)
    // Continuing from a saved state keeps what was learned.
    let resumed = StreamingTemplateMiner(state: streaming.state)
    #expect(
      resumed.add("PacketResponder 3 for block blk_9 terminating", line: 1).text
        == "PacketResponder <*> for block <*> terminating")
    #expect(resumed.groupCount == streaming.groupCount)
  }
}

@Suite struct StreamModeTests {
  @Test func streamModeMatchesBatchAndReportsItsCap() throws {
    var options = AnalysisOptions()
    options.read.format = "loghub:Linux"
    options.read.defaultYear = 2024
    let analyzer = Analyzer(options: options)
    let path = Fixtures.dataset("loghub-2k/Linux/Linux_2k.log")
    let (_, batch, _, batchReport) = try analyzer.parse(.file(path))
    #expect(batchReport == MiningReport(mode: "batch", maxTemplates: nil, evicted: 0))
    var streamOptions = options
    streamOptions.streamingTemplates = true
    streamOptions.maximumTemplates = 40
    let (read, stream, _, report) = try Analyzer(options: streamOptions).parse(.file(path))
    #expect(report.mode == "stream")
    #expect(report.maxTemplates == 40)
    #expect(report.evicted > 0)
    #expect(stream.assignments.count == read.records.count)
    // A binding cap loses some evidence for merging, but little.
    #expect(abs(stream.templates.count - batch.templates.count) * 10 <= batch.templates.count)
    // Without a binding cap, re-labelling with the final templates gives batch mining's result.
    streamOptions.maximumTemplates = 10_000
    let (_, unbound, _, unboundReport) = try Analyzer(options: streamOptions).parse(.file(path))
    #expect(unboundReport.evicted == 0)
    #expect(Set(unbound.templates.map(\.text)) == Set(batch.templates.map(\.text)))
    streamOptions.maximumTemplates = 40
    let result = try Analyzer(options: streamOptions).analyze(.file(path))
    #expect(
      AnalysisSummary(result, options: streamOptions).templates.mining.evicted == report.evicted)
  }
}
