import Testing

@testable import LoupeCore

/// How a message's wording tells a failure from the detail and routine around one.
@Suite struct MessageShapeTests {
  @Test func valueDumpLines() {
    for dump in [
      "instruction address: <*>", "Machine State Register: 0x00002000",
      "special purpose registers:", "machine check enable..............0",
      "program interrupt: privileged instruction...<*>",
      "size of scratchpad portion of L3....<*> (<*>)",
      "r24=<*> r25=<*> r26=<*> r27=<*>", "lr:<*> cr:<*> xer:<*> ctr:<*>",
      "fpr29=0xffffffff ffffffff ffffffff ffffffff",
    ] {
      #expect(MessageShape.kind(of: dump) == .valueDump, "\(dump)")
    }
    for event in [
      "data TLB error interrupt", "data storage interrupt", "Lustre mount FAILED : <*> : point <*>",
      "user: <*>", "request <*> served", "<*> <*>", "version 2.0", "loaded 3 items..",
      "retrying in <*> s...", "user=<*> action=login from <*>", "waiting for the lock... 30",
    ] {
      #expect(MessageShape.kind(of: event) == .plain, "\(event)")
    }
  }

  @Test func callerErrorsEndInTheSystemErrorText() {
    #expect(
      MessageShape.kind(
        of: "ciod: Error loading <*>: invalid or missing program image, No such file or directory")
        == .callerError("no such file or directory"))
    #expect(
      MessageShape.kind(of: "open(<*>) failed: Permission denied (errno 13)")
        == .callerError("permission denied"))
    #expect(
      MessageShape.kind(of: "LOGIN chdir(<*>) failed: Input/output error") == .plain)
    // An authentication failure that mentions the text mid-sentence is not a caller's error.
    #expect(
      MessageShape.kind(
        of: "Authentication failed from <*>: Permission denied in replay cache code")
        == .plain)
  }

  @Test func resolvedTroubleNamesItsResolution() {
    #expect(
      MessageShape.kind(of: "instruction cache parity error corrected") == .resolved("corrected"))
    #expect(
      MessageShape.kind(of: "data cache search parity error detected. attempting to correct")
        == .resolved("attempting to correct"))
    #expect(MessageShape.kind(of: "uncorrected parity error on rank <*>") == .plain)
    #expect(MessageShape.kind(of: "<*> uncorrectable ECC errors") == .plain)
  }

  @Test func successReportsWithoutTroubleWords() {
    #expect(MessageShape.kind(of: "cupsd startup succeeded") == .success("succeeded"))
    #expect(
      MessageShape.kind(of: "Command has completed successfully") == .success("successfully"))
    #expect(MessageShape.kind(of: "Checking 'hlt' instruction... OK.") == .success("ok"))
    for other in [
      "backup not completed", "upload never completed", "job completed with errors",
      "inconsistent nodesets <*> <ok> <*>", "state=ok", "unsuccessful login for <*>",
      "Bluetooth okay",
    ] {
      #expect(MessageShape.kind(of: other) == .plain, "\(other)")
    }
  }

  /// Where the source gives no level, a report of success is routine: its rarity alone makes no
  /// finding, while a one-off failure's does.
  @Test func aRareSuccessWithoutLevelIsNoFinding() throws {
    var lines = (0..<5_000).map { index in
      String(
        format: "Jan 15 08:%02d:%02d host app[42]: request %d served in %d ms", index / 60 % 60,
        index % 60, index, index % 90)
    }
    lines[1000] = "Jan 15 08:16:40 host cupsd: cupsd startup succeeded"
    lines[3000] = "Jan 15 08:50:00 host cupsd: cupsd printer queue rebuilt"
    let result = try Fixtures.analyze(lines, detectors: ["rare"])
    #expect(result.read.formatName == "syslog")
    #expect(result.read.records[1000].level == nil)
    let flagged = Set(result.findings.map { result.read.records[$0.record].line })
    #expect(flagged == [3001])
  }

  /// The forest's outliers weigh as evidence about their record's context: 0.7 on a record
  /// logged at info level, full on a warning.
  @Test func forestOutliersOnRoutineRecordsWeighLess() throws {
    let lines = (0..<3_000).map { index -> String in
      let time = String(format: "2024-01-15 08:%02d:%02d", index / 60 % 60, index % 60)
      let level = index % 10 == 0 ? "WARN" : "INFO"
      return "\(time) \(level) [Api] request \(index) served in \(index * 7919 % 997) ms"
    }
    var options = AnalysisOptions()
    options.detectors = ["iforest"]
    options.contamination = 0.3
    options.read.format = "app"
    options.read.defaultYear = 2024
    let result = try Analyzer(options: options).analyze(
      Fixtures.buffer(lines.joined(separator: "\n") + "\n"))
    let forest = try #require(result.reports.first)
    let scores = try #require(forest.scores)
    var levels: Set<LogLevel> = []
    for hit in forest.hits {
      let level = try #require(result.read.records[hit.record].level)
      levels.insert(level)
      if level == .info {
        #expect(abs(hit.score - scores[hit.record] * RoutineWeight.contextFactor) < 1e-12)
        #expect(hit.reason.hasSuffix("weighed lower: logged at info level"))
      } else {
        #expect(hit.score == scores[hit.record])
        #expect(!hit.reason.contains("weighed lower"))
      }
    }
    #expect(levels == [.info, .warning])
  }

  /// One crash among routine lines: the failure is the finding, not its register dump; a
  /// caller's error and a corrected error are not findings, while an authentication failure,
  /// an uncorrected error and a system fault are.
  @Test func theRulesFlagTheFailureNotItsDetail() throws {
    var lines = (0..<2_000).map { index in
      String(
        format: "2024-01-15 08:%02d:%02d INFO [Api] request %d served", index / 60 % 60,
        index % 60, index)
    }
    let planted = [
      (500, "FATAL [Kernel] data storage interrupt"),
      (501, "FATAL [Kernel] instruction address: 0x00004ed8"),
      (502, "FATAL [Kernel] machine check enable..............0"),
      (503, "FATAL [Kernel] r24=0x00000000 r25=0x00000001 r26=0x0fff"),
      (700, "FATAL [Loader] Error loading /home/u/prog: No such file or directory"),
      (701, "ERROR [Auth] Authentication failed for bob: Permission denied"),
      (899, "WARN [Mem] parity error detected on rank 5"),
      (900, "WARN [Mem] parity error detected and corrected"),
      (901, "ERROR [Mem] uncorrectable parity error on rank 3"),
      (902, "ERROR [Disk] read of block 7 failed: Input/output error"),
    ]
    for (index, text) in planted {
      lines[index] = String(
        format: "2024-01-15 08:%02d:%02d %@", index / 60 % 60, index % 60, text)
    }
    let result = try Fixtures.analyze(lines, detectors: ["rules"], format: "app")
    let flagged = Set(result.findings.map { result.read.records[$0.record].line })
    #expect(flagged == [501, 702, 900, 902, 903])
    let storage = try #require(
      result.findings.first { result.read.records[$0.record].line == 501 })
    #expect(storage.severity == .high)
    let authentication = try #require(
      result.findings.first { result.read.records[$0.record].line == 702 })
    #expect(authentication.reason.contains("authentication failed"))
  }

  /// Rarity weighs less on a message its source logged as routine: a one-off informational
  /// message is no finding, a one-off warning a medium one, a one-off error keeps its full
  /// score.
  @Test func rarityOfRoutineMessagesIsNoFinding() throws {
    var lines = (0..<10_000).map { index in
      String(
        format: "2024-01-15 08:%02d:%02d INFO [Api] request %d served", index / 60 % 60,
        index % 60, index)
    }
    lines[3000] = "2024-01-15 08:50:00 INFO [Vault] vault sealed by operator"
    lines[6000] = "2024-01-15 08:00:00 WARN [Vault] vault seal key rotated by admin"
    lines[7000] = "2024-01-15 08:10:00 ERROR [Vault] vault unseal key share rejected"
    let result = try Fixtures.analyze(lines, detectors: ["rare"], format: "app")
    let byLine = Dictionary(
      uniqueKeysWithValues: result.findings.map { (result.read.records[$0.record].line, $0) })
    #expect(byLine.count == 2)
    #expect(byLine[3001] == nil)
    #expect(byLine[6001]?.score == 0.6 + (0.85 - 0.6) / 2)
    #expect(byLine[6001]?.severity == .medium)
    #expect(byLine[7001]?.score == 0.85)
    #expect(byLine[7001]?.severity == .high)
    let rare = try #require(result.reports.first { $0.name == "rare" })
    let routine = try #require(rare.hits.first { result.read.records[$0.record].line == 3001 })
    #expect(abs(routine.score - 0.85 * RoutineWeight.rarityFactor) < 1e-9)
  }

  /// Without a level (as on a warning), rarity alone is a medium finding at most, the rarest
  /// still first; weak rarity keeps its score; trouble words still make a high one.
  @Test func rarityWithoutALevelIsMediumAtMost() throws {
    var lines = (0..<10_000).map { index in
      String(
        format: "Jan 15 08:%02d:%02d web01 cron[%d]: job %d started", index / 60 % 60,
        index % 60, 100 + index % 50, index)
    }
    lines[3000] = "Jan 15 08:50:00 web01 vaultd[7]: vault sealed by operator"
    for index in 0..<10 {
      lines[5000 + index] =
        "Jan 15 08:20:0\(index) web01 kernel: device \(index + 3) renamed by udev rule"
    }
    lines[6000] = "Jan 15 08:00:00 web01 sshd[9]: authentication failure for root"
    let result = try Fixtures.analyze(lines, detectors: ["rare", "rules"])
    #expect(result.read.records.allSatisfy { $0.level == nil })
    let byLine = Dictionary(
      uniqueKeysWithValues: result.findings.map { (result.read.records[$0.record].line, $0) })
    let once = try #require(byLine[3001])
    // Seen ten times: surprise 1 − ln 10 / ln 10,000 = 0.75, weighed 0.675.
    let tenTimes = try #require(byLine[5001])
    #expect(once.severity == .medium && tenTimes.severity == .medium)
    #expect(abs(once.score - (0.6 + (0.85 - 0.6) / 2)) < 1e-9)
    #expect(abs(tenTimes.score - (0.6 + (0.75 - 0.6) / 2)) < 1e-9, "\(tenTimes.reason)")
    #expect(byLine[6001]?.severity == .high)
    // Below the knee the score is unchanged.
    #expect(RoutineWeight.rarity(0.55, nil, .plain) == 0.55)
    #expect(RoutineWeight.rarity(0.85, .error, .plain) == 0.85)
    #expect(RoutineWeight.rarity(0.85, .warning, .plain) == 0.725)
  }
}
