import Foundation
import Testing

@testable import LoupeCore

@Suite struct RateTests {
  /// Four hours of a steady heartbeat (one every 10 s) and steady requests (two every 10 s),
  /// with a heartbeat outage, a burst of login failures and a total silence.
  func lines() -> [String] {
    var lines: [String] = []
    let start = 8 * 3600
    for second in stride(from: 0, to: 4 * 3600, by: 10) {
      func time(_ offset: Int) -> String {
        let total = start + second + offset
        return String(
          format: "2024-01-15 %02d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
      }
      // Total silence from 11:00 to 11:20.
      if (3 * 3600..<3 * 3600 + 1200).contains(second) { continue }
      // The heartbeat stops from 09:00 to 09:30, while requests go on.
      if !(3600..<5400).contains(second) {
        lines.append("\(time(0)) INFO [Health] heartbeat ok from node-\(second % 3)")
      }
      lines.append("\(time(1)) INFO [Api] request \(second) served in \(second % 40) ms")
      lines.append("\(time(2)) INFO [Api] request \(second + 1) served in \(second % 30) ms")
      // 10:00–10:02: 120 failed logins; otherwise one every 20 minutes.
      if (2 * 3600..<2 * 3600 + 120).contains(second) {
        for attempt in 0..<20 {
          lines.append("\(time(3)) WARN [Auth] login failed for user admin attempt \(attempt)")
        }
      } else if second % 1200 == 600 {
        lines.append("\(time(3)) WARN [Auth] login failed for user admin attempt 1")
      }
    }
    return lines
  }

  @Test func findsSpikesAndDropsOverallAndPerTemplate() throws {
    var options = AnalysisOptions()
    options.detectors = ["rate"]
    options.read.defaultYear = 2024
    let result = try Analyzer(options: options).analyze(
      Fixtures.buffer(lines().joined(separator: "\n") + "\n"))
    let summary = AnalysisSummary(result, options: options)
    let changes = summary.rateChanges
    let spike = try #require(changes.first { $0.kind == "spike" && $0.template != nil })
    #expect(spike.template?.contains("login failed") == true)
    #expect(spike.count >= 100)
    #expect(spike.start.hasPrefix("2024-01-15T10:0") || spike.start.hasPrefix("2024-01-15T09:5"))
    let heartbeat = try #require(
      changes.first { $0.kind == "drop" && $0.template?.contains("heartbeat") == true })
    #expect(heartbeat.start.hasPrefix("2024-01-15T09:"))
    #expect(heartbeat.count == 0)
    let silence = try #require(changes.first { $0.kind == "drop" && $0.scope == "all" })
    #expect(silence.start.hasPrefix("2024-01-15T11:"))
    // The requests template is never reported for the heartbeat outage or the silence alone.
    #expect(!changes.contains { $0.template?.contains("request") == true })
    // One finding per change, each with a reason naming the evidence.
    #expect(result.findings.count == changes.count)
    #expect(
      result.findings.allSatisfy {
        $0.reason.contains("rate spike") || $0.reason.contains("rate drop")
      })
    #expect(
      result.findings.contains { $0.reason.contains("usual") && $0.reason.contains("buckets") })
    // The report lists every change with its span and counts.
    let section = HTMLReport.changeSections(summary)
    #expect(section.contains("Floods and changes of rate (\(changes.count))"))
    #expect(
      section.contains("<td>rate spike</td><td>login failed for user admin attempt &lt;*&gt;</td>"))
    #expect(section.contains("<td>rate drop</td><td>all records</td><td>2024-01-15 11:"))
  }

  @Test func steadyTrafficHasNoChangesAndUntimedInputIsSkipped() throws {
    let steady = lines().filter { line in
      let hour = line.dropFirst(11).prefix(2)
      return hour == "08"
    }
    var options = AnalysisOptions()
    options.detectors = ["rate"]
    let result = try Analyzer(options: options).analyze(
      Fixtures.buffer(steady.joined(separator: "\n") + "\n"))
    #expect(result.findings.isEmpty)
    let untimed = try Analyzer(options: options).analyze(
      Fixtures.buffer((0..<500).map { "request \($0) served" }.joined(separator: "\n") + "\n"))
    #expect(untimed.reports.first?.parameters["skipped"] != nil)
  }

  @Test func aSeriesThatBurstsByHabitIsNotJudgedForSpikes() {
    // 300 buckets of about 10 records; one burst of 60 is a spike.
    var counts = (0..<300).map { 9 + $0 % 3 }
    counts[150] = 60
    let once = RateDetector.changes(counts, meanFloor: 0)
    #expect(!once.bursty)
    #expect(once.spans.map(\.kind) == ["spike"])
    #expect(once.spans.first?.start == 150)
    // Bursts in 10 of the 300 buckets (3%, more than 2%) are the series' rhythm: no spikes,
    // while a silence of 20 buckets is still a drop.
    for bucket in stride(from: 15, to: 300, by: 30) { counts[bucket] = 60 }
    for bucket in 200..<220 { counts[bucket] = 0 }
    let habit = RateDetector.changes(counts, meanFloor: 0)
    #expect(habit.bursty)
    #expect(habit.spans.map(\.kind) == ["drop"])
    // Two bursts in 20 buckets are allowed: a short series is not bursty for one burst.
    var short = [Int](repeating: 10, count: 20)
    short[5] = 60
    short[15] = 60
    #expect(RateDetector.changes(short, meanFloor: 0).spans.count == 2)
  }

  /// Traffic that falls every night is the input's daily rhythm: over four days of 15-minute
  /// buckets, no night is a drop, while a midday outage and a night as busy as a day still are.
  @Test func aDailyRhythmIsNoChange() {
    let day = 96
    var counts = (0..<(4 * day)).map { bucket in
      let hour = bucket % day / 4
      return (6..<20).contains(hour) ? 40 + bucket % 3 : 4 + bucket % 2
    }
    // Day 2, 02:00–03:00: a day's traffic at night. Day 3, 11:00–13:00: nothing.
    for bucket in (day + 8)..<(day + 12) { counts[bucket] = 40 }
    for bucket in (2 * day + 44)..<(2 * day + 52) { counts[bucket] = 0 }
    let rhythm = RateDetector.changes(counts, meanFloor: 0, period: day)
    #expect(rhythm.spans.map(\.kind) == ["spike", "drop"])
    #expect(rhythm.spans.map(\.start) == [day + 8, 2 * day + 44])
    // Judged on their neighbours alone, the nights fall: each is a drop.
    let alone = RateDetector.changes(counts, meanFloor: 0)
    #expect(alone.spans.filter { $0.kind == "drop" }.count >= 3)
    #expect(RateDetector.sameTimeOfDay([1, 2, 3, 4, 5, 6, 7], period: 2) == [5, 6, 5, 6, 3, 4, 3])
  }

  /// A template's burst is judged against the bursts its other records came in: once in a
  /// while and then 60 at once is a spike; the fourth of four bursts of 30 is not.
  @Test func aTemplatesSpikeIsJudgedAgainstItsOtherBursts() {
    var counts = [Int](repeating: 0, count: 300)
    for bucket in stride(from: 5, to: 300, by: 10) { counts[bucket] = 1 }
    counts[150] = 60
    let once = RateDetector.spikes(counts, meanFloor: 0.3, ownBursts: true)
    #expect(once.map(\.start) == [150])
    #expect(RateDetector.usualBurst(counts, outside: 150...150) == 1)
    for bucket in [40, 100, 220] { counts[bucket] = 30 }
    #expect(RateDetector.usualBurst(counts, outside: 150...150) == 30)
    #expect(RateDetector.spikes(counts, meanFloor: 0.3, ownBursts: true).isEmpty)
    // The same counts as the whole input's series are judged without that rule.
    #expect(RateDetector.spikes(counts, meanFloor: 0.3).count == 4)
    // A burst over two buckets is one run: its halves do not make each other usual.
    var split = [Int](repeating: 0, count: 300)
    for bucket in stride(from: 5, to: 300, by: 10) { split[bucket] = 1 }
    split[150] = 40
    split[151] = 40
    #expect(RateDetector.spikes(split, meanFloor: 0.3, ownBursts: true).map(\.count) == [80])
  }

  @Test func poissonTailsInLogSpace() {
    // P(X ≥ 10 | λ = 2) = 4.6e-5; P(X ≤ 0 | λ = 10) = e^-10.
    #expect(abs(PoissonTail.log10Upper(atLeast: 10, mean: 2) - log10(4.6498e-5)) < 1e-3)
    #expect(abs(PoissonTail.log10Lower(atMost: 0, mean: 10) - (-10 / M_LN10)) < 1e-9)
    // Busy means do not underflow.
    #expect(PoissonTail.log10Upper(atLeast: 2000, mean: 1000) < -100)
    #expect(PoissonTail.log10Lower(atMost: 500, mean: 1000) < -30)
    #expect(PoissonTail.log10Upper(atLeast: 3, mean: 5) == 0)
  }
}
