import Testing

@testable import LoupeCore

/// Windows events that matter by their id.
@Suite struct WindowsSecurityEventTests {
  @Test func eventViewerExportsNameTheEventsThatMatter() throws {
    let kinds = [
      (4624, "Logon"), (4634, "Logoff"), (4672, "Special Logon"), (4688, "Process Creation"),
    ]
    var rows = (0..<1_200).map { index -> String in
      let (id, task) = kinds[index % kinds.count]
      return
        "Information,1/15/2024 \(8 + index / 3600):\(String(format: "%02d:%02d", index / 60 % 60, index % 60)) AM,Microsoft-Windows-Security-Auditing,\(id),\(task)"
    }
    rows[600] = "Information,1/15/2024 8:10:00 AM,Microsoft-Windows-Eventlog,1102,Log clear"
    rows[900] =
      "Information,1/15/2024 8:15:00 AM,Microsoft-Windows-Security-Auditing,4720,User Account Management"
    let result = try Fixtures.analyze(
      ["Level,Date and Time,Source,Event ID,Task Category"] + rows, detectors: ["rules"])
    let cleared = try #require(result.findings.first { result.read.records[$0.record].line == 602 })
    #expect(cleared.reason.contains("Windows event 1102: the security audit log was cleared"))
    #expect(cleared.severity == .critical)
    let created = try #require(result.findings.first { result.read.records[$0.record].line == 902 })
    #expect(created.reason.contains("a user account was created"))
    #expect(created.severity == .high)
    #expect(result.findings.count == 2)
  }

  /// Event Viewer's CSV export: five named columns, then each event's text, over several lines,
  /// in a sixth column the header does not name.
  /// The failures' text names the subject's account (`-`) before the one the logon failed for.
  func eventViewerRows(
    failuresFrom address: (Int) -> String, at failures: Range<Int>
  ) -> [String] {
    (0..<600).map { index -> String in
      let time = "1/15/2024 8:\(String(format: "%02d:%02d", index / 60 % 60, index % 60)) AM"
      if failures.contains(index) {
        return
          "Information,\(time),Microsoft-Windows-Security-Auditing,4625,Logon,\"An account failed to log on.\r\n\r\nSubject:\r\n\tAccount Name:\t\t-\r\n\r\nAccount For Which Logon Failed:\r\n\tAccount Name:\t\tadministrator\r\n\r\nNetwork Information:\r\n\tSource Network Address:\t\(address(index))\r\n\tSource Port:\t\t0\""
      }
      return
        "Information,\(time),Microsoft-Windows-Security-Auditing,4634,Logoff,\"An account was logged off.\r\n\r\nSubject:\r\n\tAccount Name:\t\tuser\(index % 7)\r\n\tLogon ID:\t\t0x\(String(index * 7919, radix: 16))\""
    }
  }

  @Test func eventViewerTextIsTheUnnamedLastColumn() throws {
    let rows = eventViewerRows(failuresFrom: { _ in "203.0.113.77" }, at: 300..<301)
    let read = try Fixtures.read(
      (["Level,Date and Time,Source,Event ID,Task Category"] + rows).joined(separator: "\r\n"))
    #expect(read.formatName == "csv")
    #expect(read.records.count == 600)
    #expect(read.problems.isEmpty)
    #expect(read.field(0, "Event ID") == "4634")
    #expect(read.text(read.records[300].message)?.hasPrefix("An account failed to log on.") == true)
    // Each logoff row above it is five lines long.
    #expect(read.records[300].line == 2 + 300 * 5)
  }

  /// Failures that name no source still add up for their account; failures from many sources,
  /// one each, are a distributed attack on it. The account is the text's last "Account Name".
  @Test func failedLogonsAreCountedForTheirAccount() throws {
    let header = "Level,Date and Time,Source,Event ID,Task Category"
    let unnamed = try Fixtures.analyze(
      [header] + eventViewerRows(failuresFrom: { _ in "-" }, at: 300..<312),
      detectors: ["bruteforce"])
    #expect(unnamed.findings.count == 1)
    #expect(
      unnamed.findings.first?.reason.contains(
        "brute force: 12 authentication failures for administrator, no source named, in 11 s")
        == true)
    let spread = try Fixtures.analyze(
      [header] + eventViewerRows(failuresFrom: { "198.51.100.\($0 % 20)" }, at: 300..<330),
      detectors: ["bruteforce"])
    #expect(spread.findings.count == 1)
    #expect(
      spread.findings.first?.reason.contains(
        "distributed brute force: 30 authentication failures for administrator from 20 sources")
        == true)
    let report = try #require(spread.reports.first)
    #expect(report.parameters["account_runs"] == "1")
  }

  @Test func failedLogonsFromOneAddressAreBruteForce() throws {
    let rows = eventViewerRows(failuresFrom: { _ in "203.0.113.77" }, at: 300..<330)
    let result = try Fixtures.analyze(
      ["Level,Date and Time,Source,Event ID,Task Category"] + rows, detectors: ["bruteforce"])
    #expect(result.findings.count == 1)
    #expect(
      result.findings.first?.reason.contains(
        "brute force: 30 authentication failures from 203.0.113.77 in 29 s") == true)
  }

  @Test func powerShellExportsAreReadPastTheirTypeLine() throws {
    let header =
      #""Message","Id","Level","ProviderName","MachineName","TimeCreated","LevelDisplayName""#
    let rows = (0..<300).map { index -> String in
      let failed = (100..<112).contains(index)
      let time = "1/15/2024 8:\(String(format: "%02d:%02d", index / 60, index % 60)) AM"
      let text =
        failed
        ? "An account failed to log on.\r\n\tSource Network Address:\t198.51.100.9"
        : "An account was successfully logged on.\r\n\tSource Network Address:\t10.0.0.\(index % 90)"
      return
        #""\#(text)","\#(failed ? 4625 : 4624)","0","Microsoft-Windows-Security-Auditing","DC01","\#(time)","Information""#
    }
    let lines = ["#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord", header] + rows
    let result = try Fixtures.analyze(lines, detectors: ["bruteforce"])
    let read = result.read
    #expect(read.formatName == "csv")
    #expect(read.records.count == 300)
    #expect(read.records[0].line == 3)
    #expect(read.records[0].level == .info)
    #expect(read.text(read.records[0].component) == "Microsoft-Windows-Security-Auditing")
    #expect(read.records[0].timestamp != nil)
    #expect(result.findings.count == 1)
    #expect(
      result.findings.first?.reason.contains("12 authentication failures from 198.51.100.9") == true
    )
  }

  @Test func winlogbeatFailedLogonsAreCountedByTheirIdAndAddress() throws {
    // The text names no address and no failure phrase: the event id and IpAddress say it all.
    let lines = (0..<400).map { index -> String in
      let failed = (200..<215).contains(index)
      let time = String(format: "2024-01-15T08:%02d:%02dZ", index / 60, index % 60)
      return
        #"{"@timestamp":"\#(time)","event":{"code":"\#(failed ? 4625 : 4624)","provider":"Microsoft-Windows-Security-Auditing"},"winlog":{"event_data":{"IpAddress":"\#(failed ? "198.51.100.23" : "10.0.0.\(index % 200)")","TargetUserName":"svc\#(index % 3)"}},"message":"Logon attempt by svc\#(index % 3)"}"#
    }
    let result = try Fixtures.analyze(lines, detectors: ["bruteforce"])
    #expect(result.read.formatName == "json")
    #expect(
      result.read.text(result.read.records[0].component) == "Microsoft-Windows-Security-Auditing")
    let finding = try #require(result.findings.first)
    #expect(result.findings.count == 1)
    #expect(finding.reason.contains("15 authentication failures from 198.51.100.23"))
    #expect(result.read.records[finding.record].line == 201)
  }

  @Test func aRareEventIdIsARareKindOfEvent() throws {
    let kinds = [4624, 4634, 4672, 4688]
    var rows = (0..<2_000).map { index -> String in
      let time =
        "1/15/2024 \(8 + index / 3600):\(String(format: "%02d:%02d", index / 60 % 60, index % 60)) AM"
      return "Information,\(time),Microsoft-Windows-Security-Auditing,\(kinds[index % 4]),Audit"
    }
    for index in [700, 1_300] {
      rows[index] =
        "Information,1/15/2024 8:\(index / 60 % 60):00 AM,Microsoft-Windows-Security-Auditing,4657,Audit"
    }
    let result = try Fixtures.analyze(
      ["Level,Date and Time,Source,Event ID,Task Category"] + rows, detectors: ["fields"])
    #expect(result.findings.map { result.read.records[$0.record].line } == [702, 1_302])
    #expect(result.findings.first?.reason.contains("Event ID '4657': 2 of 2000 records") == true)
  }

  @Test func anotherLogsEventIdIsNotAWindowsEvent() throws {
    let lines = (0..<300).map {
      #"{"time":"2024-01-15T08:00:\#(String(format: "%02d", $0 % 60))Z","level":"info","msg":"order stored","event_id":\#($0 == 150 ? 1102 : 7)}"#
    }
    let result = try Fixtures.analyze(lines, detectors: ["rules"])
    #expect(!result.findings.contains { $0.reason.contains("Windows event") })
  }
}
