import Foundation
import Testing

@testable import LoupeCore

/// Numeric fields judged one by one: values far from the field's median, on a log scale for
/// quantities that are never negative.
@Suite struct ExtremeValueTests {
  func analyze(_ rows: [String], header: String) throws -> AnalysisResult {
    var options = AnalysisOptions()
    options.detectors = ["extremes"]
    options.read.format = "csv"
    return try Analyzer(options: options).analyze(
      Fixtures.buffer(([header] + rows).joined(separator: "\n") + "\n", name: "metrics.csv"))
  }

  /// Latencies spread by factors (60–180 ms), one request at 75 times the median and one
  /// response of 30 MB among 10–40 kB ones; a status that is nearly always 200 has no spread
  /// and is not judged.
  @Test func farFromTheMedianIsExtreme() throws {
    var random = SeededRandom(seed: 7)
    var rows = (0..<3_000).map { index -> String in
      let latency = Int(60 * pow(3, random.nextUnit()))
      let bytes = Int(10_000 * pow(4, random.nextUnit()))
      let status = index % 500 == 0 ? 500 : 200
      return "user\(index % 40),\(latency),\(bytes),\(status)"
    }
    rows[1_000] = "user3,9000,12000,200"
    rows[2_000] = "user7,80,30000000,200"
    let result = try analyze(rows, header: "user,latency_ms,bytes,status")
    let report = try #require(result.reports.first)
    #expect(report.parameters["fields"] == "latency_ms,bytes")
    let byLine = Dictionary(
      uniqueKeysWithValues: result.findings.map { (result.read.records[$0.record].line, $0) })
    #expect(Set(byLine.keys) == [1_002, 2_002])
    let slow = try #require(byLine[1_002])
    #expect(slow.reason.contains("latency_ms 9000: "))
    #expect(slow.reason.contains("× its median"))
    #expect(slow.reason.contains("spreads above it on a log scale"))
    #expect(slow.severity >= .medium)
    let large = try #require(byLine[2_002])
    #expect(large.reason.contains("bytes 30000000"))
    // Farther out scores higher, never above 0.85.
    #expect(large.score > slow.score)
    #expect(large.score <= 0.85)
  }

  /// A structured log gives a duration only on the messages that report one (MongoDB's slow
  /// query lines, a third of its records): judged among them, and read as milliseconds by its
  /// flattened camel-case name for the slow-query rule.
  @Test func aFieldOnSomeMessagesIsJudgedAmongThem() throws {
    var random = SeededRandom(seed: 11)
    var lines = (0..<3_000).map { index -> String in
      let time = String(format: "2024-01-15T08:%02d:%02d.000+00:00", index / 60 % 60, index % 60)
      let attributes =
        index % 3 == 2
        ? #"{"ns":"shop.orders","durationMillis":\#(100 + random.nextIndex(200))}"#
        : #"{"remote":"10.0.0.\#(index % 50):5\#(index % 1000)"}"#
      let message = index % 3 == 2 ? "Slow query" : "Connection accepted"
      return
        #"{"t":{"$date":"\#(time)"},"s":"I","c":"COMMAND","id":51803,"ctx":"conn\#(index)","msg":"\#(message)","attr":\#(attributes)}"#
    }
    lines[2_501] = lines[2_501].replacingOccurrences(
      of: #"durationMillis":"#, with: #"durationMillis":45000,"was":"#)
    var options = AnalysisOptions()
    options.detectors = ["extremes", "rules"]
    let result = try Analyzer(options: options).analyze(
      Fixtures.buffer(lines.joined(separator: "\n") + "\n", name: "mongod.log"))
    let extremes = try #require(result.reports.first { $0.name == "extremes" })
    #expect(extremes.parameters["fields"]?.contains("attr.durationMillis") == true)
    #expect(result.findings.map { result.read.records[$0.record].line } == [2_502])
    let finding = try #require(result.findings.first)
    #expect(finding.reason.contains("attr.durationMillis 45000: "))
    #expect(finding.reason.contains("slow query: 45000 ms ≥ 1000 ms"))
  }

  /// A number in the message far above what the same message usually says: a JVM's GC log
  /// writes each pause with its unit, and a 2.5 s pause among pauses of a few milliseconds is
  /// extreme; the GC counter's first values, far below its median, are not.
  @Test func aNumberInTheMessageIsJudgedAgainstItsTemplate() throws {
    var random = SeededRandom(seed: 7)
    let lines = (0..<2_000).map { index -> String in
      let time = String(
        format: "2024-01-15T08:%02d:%02d.%03d+0000", index / 60 % 60, index % 60, index % 1000)
      let pause = index == 1_500 ? "2.481s" : String(format: "%.3fms", 2 + 7 * random.nextUnit())
      return
        "[\(time)][info][gc] GC(\(index)) Pause Young (Normal) (G1 Evacuation Pause) \(20 + index % 20)M->\(3 + index % 5)M(256M) \(pause)"
    }
    var options = AnalysisOptions()
    options.detectors = ["extremes"]
    let result = try Analyzer(options: options).analyze(
      Fixtures.buffer(lines.joined(separator: "\n") + "\n", name: "gc.log"))
    #expect(result.findings.map { result.read.records[$0.record].line } == [1_501])
    let finding = try #require(result.findings.first)
    #expect(finding.reason.contains("Evacuation Pause) <*>) 2.481s\" 2481: "))
    #expect(finding.reason.contains("× its median"))
    let report = try #require(result.reports.first)
    #expect(report.parameters["message_values"] != "0")
  }

  /// Numbers close together are not extremes of one another, however tight the rest: a code
  /// (302013 nearly everywhere, 305011 now and then) is no measurement.
  @Test func codesCloseTogetherAreNotExtreme() throws {
    let rows = (0..<3_000).map { index -> String in
      let code = index % 50 == 0 ? 305_011 : index % 2 == 0 ? 302_013 : 302_014
      return "user\(index % 40),\(code),\(100 + index % 37)"
    }
    let result = try analyze(rows, header: "user,code,size")
    #expect(result.reports.first?.parameters["fields"]?.contains("code") == true)
    #expect(result.findings.isEmpty)
  }

  @Test func durationsAreReadByTheirNamesUnit() {
    #expect(ThresholdRules.durationFieldFactor("attr.durationMillis") == 1)
    #expect(ThresholdRules.durationFieldFactor("durationMicroseconds") == 0.001)
    #expect(ThresholdRules.durationFieldFactor("elapsed_seconds") == 1000)
    #expect(ThresholdRules.durationFieldFactor("query_time") == 1)
    #expect(ThresholdRules.durationFieldFactor("bytes") == nil)
    #expect(RecordFeatures.isLabelName("ppid"))
    #expect(RecordFeatures.isLabelName("auid"))
    #expect(RecordFeatures.isLabelName("ses"))
    #expect(RecordFeatures.isLabelName("mnemonic"))
    #expect(!RecordFeatures.isLabelName("durationMillis"))
  }

  /// A value ordinary for the whole table can be extreme for its category: a process using
  /// 4000 MB where other processes do, but this one never uses more than 60.
  @Test func extremeWithinItsCategory() throws {
    var random = SeededRandom(seed: 5)
    let programs = [("defender.exe", 40.0), ("teams.exe", 3000.0), ("chrome.exe", 800.0)]
    var rows = (0..<3_000).map { index -> String in
      let (name, memory) = programs[index % programs.count]
      return "\(name),\(Int(memory * (0.8 + 0.4 * random.nextUnit())))"
    }
    rows[999] = "defender.exe,4000"
    let result = try analyze(rows, header: "Basename,Memory")
    #expect(result.reports.first?.parameters["within"] == "Basename")
    #expect(result.findings.map { result.read.records[$0.record].line } == [1_001])
    let reason = try #require(result.findings.first?.reason)
    #expect(reason.hasPrefix("extremes: Memory 4000: "))
    #expect(reason.contains("× its median"))
    #expect(reason.contains(" among Basename 'defender.exe' ("))
  }

  /// A long tail is no outlier: when 5% of the values are a hundred times the median, none is
  /// flagged, and the summary says the field is long-tailed.
  @Test func aLongTailIsNoOutlier() throws {
    let rows = (0..<3_000).map { index -> String in
      let latency = index % 20 == 0 ? 10_000 + index : 80 + index % 40
      return "user\(index % 40),\(latency)"
    }
    let result = try analyze(rows, header: "user,latency_ms")
    #expect(result.findings.isEmpty)
    #expect(result.reports.first?.parameters["long_tailed"] == "latency_ms (above)")
  }

  /// A field with negative values is judged on the values themselves, below as above.
  @Test func signedFieldsAreJudgedOnTheirValues() throws {
    var rows = (0..<1_000).map { index in "sensor\(index % 5),\(Double(index % 21) - 10)" }
    rows[500] = "sensor1,-400"
    let result = try analyze(rows, header: "sensor,offset")
    #expect(result.findings.map { result.read.records[$0.record].line } == [502])
    #expect(result.findings.first?.reason.contains("spreads below it)") == true)
  }

  /// Small inputs and the parts of a header format are not judged (a header format's messages
  /// are).
  @Test func smallInputsAndHeaderPartsAreLeftAlone() throws {
    let small = try analyze(["a,1", "b,2", "c,900000"], header: "name,value")
    #expect(small.reports.first?.parameters["skipped"] == "fewer than 200 records")
    var options = AnalysisOptions()
    options.detectors = ["extremes"]
    let bgl = try Analyzer(options: options).analyze(
      .file(Fixtures.dataset("loghub-2k/BGL/BGL_2k.log")))
    #expect(
      bgl.reports.first?.parameters["fields_skipped"] == "the fields are parts of a header format")
    #expect(bgl.reports.first?.parameters["fields"] == "")
  }
}

/// Medians by selection agree with medians by sorting, ties and adversarial orders included.
@Suite struct MedianTests {
  @Test func selectionMatchesSorting() {
    var random = SeededRandom(seed: 11)
    for size in [1, 2, 3, 4, 5, 10, 101, 1_000, 4_096] {
      for spread in [3, 1_000] {
        let values = (0..<size).map { _ in Double(random.nextIndex(spread)) }
        for input in [values, values.sorted(), values.sorted(by: >)] {
          let sorted = input.sorted()
          let expected = (sorted[(size - 1) / 2] + sorted[size / 2]) / 2
          #expect(Median.of(input) == expected, "size \(size), spread \(spread)")
        }
      }
    }
    // All equal: no endless partitioning.
    #expect(Median.of([Double](repeating: 7, count: 10_000)) == 7)
  }
}
