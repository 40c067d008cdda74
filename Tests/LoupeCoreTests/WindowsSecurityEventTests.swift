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

  @Test func anotherLogsEventIdIsNotAWindowsEvent() throws {
    let lines = (0..<300).map {
      #"{"time":"2024-01-15T08:00:\#(String(format: "%02d", $0 % 60))Z","level":"info","msg":"order stored","event_id":\#($0 == 150 ? 1102 : 7)}"#
    }
    let result = try Fixtures.analyze(lines, detectors: ["rules"])
    #expect(!result.findings.contains { $0.reason.contains("Windows event") })
  }
}
