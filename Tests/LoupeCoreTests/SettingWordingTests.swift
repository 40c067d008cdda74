import Foundation
import Testing

@testable import LoupeCore

/// A trouble word that names a setting with its value states configuration, not trouble.
@Suite struct SettingWordingTests {
  @Test func settingsNamedWithTheirValue() {
    for (text, phrase) in [
      ("Established session <*> with negotiated timeout <*> for client <*>", "timeout"),
      ("minSessionTimeout set to -1", "timeout"),
      ("maxTaskFailuresPerNode is 3", "failure"),
      ("read.timeout=30s", "timeout"),
      ("connect_timeout: <*> ms", "timeout"),
      ("max_errors = 5", "error"),
    ] {
      #expect(SettingWording.namesSetting(text, phrase: phrase), "\(text)")
    }
    for (text, phrase) in [
      ("Connection timeout after 60s - database unreachable", "timeout"),
      ("Expiring session <*>, timeout of 10000ms exceeded", "timeout"),
      ("java.net.SocketTimeoutException: <*>", "timeout"),
      ("<*> failures on node <*>", "failure"),
      ("error=<*>", "error"),
      ("request timed out", "timeout"),
      // One occurrence that is not a setting is enough to keep the word.
      ("timeout=<*> then read timeout waiting for <*>", "timeout"),
      ("lock wait timeout exceeded; innodb_lock_wait_timeout=<*>", "lock wait timeout"),
    ] {
      #expect(!SettingWording.namesSetting(text, phrase: phrase), "\(text)")
    }
  }

  /// At info level a named setting makes no finding; the same words in a warning, and a
  /// timeout that happened, still do.
  @Test func routineSettingsAreNoFinding() throws {
    var lines = (0..<2_000).map { index in
      String(
        format: "2024-01-15 08:%02d:%02d INFO [Api] request %d served", index / 60 % 60,
        index % 60, index)
    }
    for index in 0..<40 {
      lines[100 + index * 10] = String(
        format:
          "2024-01-15 08:%02d:%02d INFO [Zk] Established session 0x%x with negotiated timeout %d for client /10.0.0.%d",
        (100 + index * 10) / 60 % 60, index % 60, 4096 + index, 10_000 + 10 * index, index)
    }
    lines[1500] = "2024-01-15 08:25:00 INFO [Zk] minSessionTimeout set to -1"
    lines[1600] = "2024-01-15 08:26:40 WARN [Zk] minSessionTimeout set to -1"
    lines[1700] = "2024-01-15 08:28:20 INFO [Db] Connection timeout after 60s"
    let result = try Fixtures.analyze(lines, detectors: ["rules"], format: "app")
    let flagged = Set(result.findings.map { result.read.records[$0.record].line })
    #expect(flagged == [1601, 1701])
  }
}
