import Testing

@testable import LoupeCore

/// Rare messages that come one after another are reported once, as one event.
@Suite struct RareRunsTests {
  static let boot = [
    "Linux version 2.6.9-1.667 (bhcompile@tweety.build.redhat.com)",
    "BIOS-provided physical RAM map:",
    "126MB LOWMEM available.",
    "zapping low mappings.",
    "On node 0 totalpages: 32430",
    "DMI 2.3 present.",
    "Kernel command line: ro root=LABEL=/ rhgb quiet",
    "Initializing CPU#0",
    "Detected 731.219 MHz processor.",
    "Console: colour VGA+ 80x25",
    "Calibrating delay loop... 1445.88 BogoMIPS",
    "SELinux:  Starting in permissive mode",
    "NET: Registered protocol family 16",
    "Real Time Clock Driver v1.12",
  ]

  func syslog(_ second: Int, _ message: String) -> String {
    String(
      format: "Jan 15 %02d:%02d:%02d web01 %@", second / 3600 % 24, second / 60 % 60, second % 60,
      message)
  }

  @Test func aBootIsOneFinding() throws {
    var lines = (0..<10_000).map { syslog($0 * 5, "cron[\(100 + $0 % 50)]: job \($0) started") }
    // A boot: fourteen one-off kernel lines within a few seconds, one routine line among them.
    for (offset, message) in Self.boot.enumerated() {
      lines[6_000 + offset + (offset > 6 ? 1 : 0)] = syslog(
        30_000 + offset / 4, "kernel: " + message)
    }
    // One-off messages far apart stay findings of their own, as does a run of too few.
    lines[1_000] = syslog(5_000, "vaultd[7]: vault sealed by operator")
    lines[3_000] = syslog(15_000, "named[9]: zone example.org transferred to secondary")
    for (offset, message) in Self.boot.prefix(5).enumerated() {
      lines[8_000 + offset] = syslog(40_000 + offset, "kernel2: " + message)
    }
    let result = try Fixtures.analyze(lines, detectors: ["rare"])
    let flagged = result.findings.map { result.read.records[$0.record].line }
    let inBoot = flagged.filter { (6_001...6_015).contains($0) }
    #expect(inBoot.count == 1)
    let run = try #require(result.findings.first { $0.reason.contains("in a row") })
    #expect(run.reason.contains("one of 14 rare messages in a row (14 different; lines 6001–6015"))
    #expect(flagged.contains(1_001) && flagged.contains(3_001))
    #expect(flagged.filter { (8_001...8_005).contains($0) }.count == 5)
    let rare = try #require(result.reports.first { $0.name == "rare" })
    #expect(rare.parameters["runs"] == "1")
  }

  /// An error in a run is news of its own; a pause of minutes ends a run.
  @Test func errorsAndPausesAreNotFolded() throws {
    var lines = (0..<5_000).map { index in
      String(
        format: "2024-01-15 %02d:%02d:%02d INFO [Api] request %d served", index / 3600,
        index / 60 % 60, index % 60, index)
    }
    func place(_ start: Int, pauseAfter: Int?) {
      for (offset, message) in Self.boot.enumerated() {
        let level = offset == 3 ? "ERROR" : "WARN"
        let second = start + offset + (pauseAfter.map { offset >= $0 ? 120 : 0 } ?? 0)
        lines[start + offset] = String(
          format: "2024-01-15 %02d:%02d:%02d %@ [Kernel%d] %@", second / 3600, second / 60 % 60,
          second % 60, level, start, message)
      }
    }
    // A run of thirteen warnings and an error; then the same in two halves two minutes apart.
    place(1_000, pauseAfter: nil)
    place(3_000, pauseAfter: 7)
    let result = try Fixtures.analyze(lines, detectors: ["rare"], format: "app")
    let flagged = Set(result.findings.map { result.read.records[$0.record].line })
    let first = flagged.filter { (1_001...1_014).contains($0) }
    #expect(first.count == 2 && first.contains(1_004))
    #expect(flagged.isSuperset(of: 3_001...3_014))
    #expect(result.findings.filter { $0.reason.contains("in a row") }.count == 1)
  }
}
