import Foundation
import LoupeConnect
import LoupeCore
import Testing

/// The follow-up as the server uses it: analyses finishing side by side share one cool-down.
@Suite struct FollowUpTests {
  @Test func concurrentAnalysesSendOneAlertPerIncident() async throws {
    let scratch = try ScratchDirectory()
    let lines = (0..<1000).map { index in
      index == 500
        ? "2024-03-01 10:08:20 FATAL [Kernel] out of memory: killed process 4242"
        : String(
          format: "2024-03-01 10:%02d:%02d INFO [Gateway] request %d served", index / 60 % 60,
          index % 60, index)
    }
    let result = try Analyzer(options: AnalysisOptions()).analyze(
      SourceBuffer(name: "app.log", bytes: Array((lines.joined(separator: "\n") + "\n").utf8)))
    let rules = [AlertRule(name: "any")]
    let followUp = ConnectedFollowUp(
      reviewer: nil, rules: rules,
      dispatcher: AlertDispatcher(
        sinks: [FileAlertSink(directory: scratch.path)], rules: rules,
        ledgerPath: scratch.file("state.json")))
    let summary = AnalysisSummary(result, options: AnalysisOptions())
    let statuses = await withTaskGroup(of: [String].self) { group in
      for _ in 0..<6 {
        group.addTask {
          await followUp.alert(result, summary: summary, input: "app.log").0.flatMap {
            $0.deliveries.map(\.status)
          }
        }
      }
      var all: [String] = []
      for await batch in group { all += batch }
      return all
    }
    #expect(statuses.filter { $0 == "sent" }.count == 1)
    #expect(statuses.filter { $0 == "cooldown" }.count == 5)
    let jsonl = try String(contentsOfFile: scratch.file("alerts.jsonl"), encoding: .utf8)
    #expect(jsonl.split(separator: "\n").count == 1)
  }
}
