import Foundation
import Testing

@testable import LoupeCore

/// A JSON object without a message field gets one made of the fields that say what happened,
/// so that its records get templates, rules and rarity of their own.
@Suite struct FieldMessageTests {
  func request(_ index: Int, method: String = "GET", status: Int = 200) -> String {
    String(
      format:
        #"{"time":"2024-01-15T08:%02d:%02dZ","remote_addr":"10.0.%d.%d","request_id":"req-%d","request_method":"%@","request_uri":"/page/%d","status":%d,"body_bytes_sent":%d,"http_user_agent":"Mozilla/5.0 (X11; Linux x86_64)"}"#,
      index / 60 % 60, index % 60, index % 7, index % 13, index, method, index % 50, status,
      500 + index % 40)
  }

  @Test func theMessageHoldsWhatTheRecordSays() throws {
    let read = try Fixtures.read(
      [
        request(1),
        #"{"ts":1705305600,"level":"error","service":"db","trace_id":"ab12","error":"connection refused","retries":3}"#,
        #"{"ts":1705305601,"cpu":0.5,"memory":0.25}"#,
        #"{"ts":1705305602,"event_type":"alert","alert":{"signature":"ET SCAN \"nmap\"","severity":2},"tags":["a","b"],"blocked":true,"note":null}"#,
      ].joined(separator: "\n") + "\n")
    #expect(read.formatName == "json")
    #expect(read.text(read.records[0].message) == "request_method=GET request_uri=/page/1")
    #expect(read.text(read.records[1].message) == "error=connection refused")
    // Nothing but measurements: the whole line stays the message.
    #expect(read.text(read.records[2].message) == #"{"ts":1705305601,"cpu":0.5,"memory":0.25}"#)
    #expect(
      read.text(read.records[3].message)
        == #"event_type=alert alert.signature=ET SCAN "nmap" tags=["a","b"] blocked=true"#)
    // The record keeps its fields and level, and its own text is still its line.
    #expect(read.records[1].level == .error)
    #expect(read.field(1, "trace_id") == "ab12")
    #expect(
      read.buffer.string(FieldMessage.recordText(read.records[1], read.buffer)).hasPrefix(
        #"{"ts":1705305600,"level":"error""#))
    #expect(!read.buffer.isSynthesized(read.records[2].message))
    #expect(read.buffer.isSynthesized(read.records[0].message))
  }

  @Test func aRecordGetsTheSameMessageAloneOrAmongOthers() throws {
    let alone = try Fixtures.read(request(7, method: "POST") + "\n")
    let among = try Fixtures.read((0..<300).map { request($0) }.joined(separator: "\n") + "\n")
    #expect(alone.text(alone.records[0].message) == "request_method=POST request_uri=/page/7")
    #expect(among.text(among.records[7].message) == "request_method=GET request_uri=/page/7")
  }

  @Test func templatesAndTroubleWordsComeFromTheMessage() throws {
    var lines = (0..<1_000).map { request($0, method: $0 % 10 == 0 ? "POST" : "GET") }
    lines[400] =
      #"{"time":"2024-01-15T08:06:40Z","request_id":"req-400","error":"database connection failed: connection refused"}"#
    let result = try Fixtures.analyze(lines)
    let texts = Set(result.templates.templates.map(\.text))
    #expect(texts.contains("request_method=GET request_uri=<*>"))
    #expect(texts.contains("request_method=POST request_uri=<*>"))
    let finding = try #require(result.findings.first { $0.record == 400 })
    #expect(finding.reason.contains("connection refused"))
    // The anomalies show the record as it was written.
    let row = try #require(FindingRow.rows(result).first { $0.line == 401 })
    #expect(row.message.hasPrefix(#"{"time":"2024-01-15T08:06:40Z","request_id":"req-400""#))
  }

  @Test func sessionKeysAndCustomRulesSearchTheWholeRecord() throws {
    let lines = (0..<200).map { request($0 % 20) }
    let read = try Fixtures.read(lines.joined(separator: "\n") + "\n")
    let sessions = try SessionGrouper.group(read, spec: .key(#"req-(\d+)"#))
    #expect(sessions.count == 20)
    #expect(sessions.allSatisfy { $0.records.count == 10 })

    var options = AnalysisOptions()
    options.read.defaultYear = 2024
    options.customRules = [CustomRule(name: "linux-clients", keywords: ["x11; linux"])]
    let result = try Analyzer(options: options).analyze(
      Fixtures.buffer(lines.joined(separator: "\n") + "\n"))
    let custom = result.findings.filter { $0.reason.contains("rule 'linux-clients'") }
    #expect(custom.count == 200)
  }
}
