import Foundation
import Testing

@testable import LoupeCore

@Suite struct GeneratorTests {
  struct Generated {
    var log: [UInt8]
    var labels: [[String]]
    var summary: GenerationSummary
    var path: String
  }

  func generate(_ name: String, lines: Int, rate: Double = 0.05, seed: UInt64 = 42) throws
    -> Generated
  {
    let directory = try Fixtures.temporaryDirectory()
    let path = directory + "/\(name).log"
    let labelsPath = directory + "/\(name).labels.csv"
    let scenario = try #require(ScenarioCatalog.scenario(named: name))
    var settings = GeneratorSettings(lines: lines)
    settings.anomalyRate = rate
    settings.seed = seed
    var output = try LineWriter(path: path)
    var labels: LabelWriter? = try LabelWriter(path: labelsPath)
    let summary = try scenario.generate(settings, output: &output, labels: &labels)
    let log = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    let labelRows = try String(contentsOfFile: labelsPath, encoding: .utf8)
      .split(separator: "\n").map {
        $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      }
    return Generated(log: log, labels: labelRows, summary: summary, path: path)
  }

  static let lineScenarios = ["app", "access", "process-csv", "metrics-csv", "syslog", "json"]

  @Test(arguments: lineScenarios + ["sessions"])
  func sameSeedSameBytesOtherSeedOtherBytes(name: String) throws {
    let first = try generate(name, lines: 3000)
    let again = try generate(name, lines: 3000)
    let other = try generate(name, lines: 3000, seed: 7)
    #expect(first.log == again.log)
    #expect(first.labels == again.labels)
    #expect(first.log != other.log)
    #expect(first.log.filter { $0 == 0x0A }.count == 3000)
    #expect(first.summary.lines == 3000)
  }

  @Test(arguments: lineScenarios)
  func anomalyRateIsMetAndEveryLineIsLabelled(name: String) throws {
    let generated = try generate(name, lines: 30_000, rate: 0.05)
    let header = generated.labels[0]
    #expect(header == ["line_number", "label", "kind"])
    let rows = generated.labels.dropFirst()
    let firstLine = name.hasSuffix("csv") ? 2 : 1
    #expect(rows.map { Int($0[0]) } == Array(firstLine...30_000).map { Optional($0) })
    let anomalous = rows.filter { $0[1] == "1" }
    #expect(anomalous.allSatisfy { !$0[2].isEmpty })
    #expect(rows.filter { $0[1] == "0" }.allSatisfy { $0[2].isEmpty })
    #expect(anomalous.count == generated.summary.anomalousLines)
    let share = Double(anomalous.count) / Double(rows.count)
    #expect(share > 0.04 && share < 0.06, "\(name): \(share)")
    #expect(Set(anomalous.map { $0[2] }).count >= 4)
  }

  @Test func sessionRateAndSessionLabels() throws {
    let generated = try generate("sessions", lines: 40_000, rate: 0.1)
    #expect(generated.labels[0] == ["session", "label", "kind"])
    let rows = generated.labels.dropFirst()
    let share = Double(rows.filter { $0[1] == "1" }.count) / Double(rows.count)
    #expect(share > 0.08 && share < 0.12, "\(share)")
    #expect(rows.count == generated.summary.sessions)
    // Per block: how many lines of each step. A normal block writes 2 or 3 replicas, each
    // receiving, received, terminating and stored once; failures end in an exception.
    let text = String(decoding: generated.log, as: UTF8.self)
    var steps: [Substring: [String: Int]] = [:]
    for line in text.split(separator: "\n") {
      guard let range = line.range(of: "blk_") else { continue }
      let id = line[range.lowerBound...].prefix { $0 != " " && $0 != ":" }
      for (step, marker) in [
        ("receiving", "Receiving block"), ("received", "Received block"),
        ("terminating", "terminating"), ("stored", "addStoredBlock"),
        ("exception", "received exception"),
      ] where line.contains(marker) {
        steps[id, default: [:]][step, default: 0] += 1
      }
    }
    for row in rows.prefix(500) {
      let counts = steps[Substring(row[0])] ?? [:]
      let replicas = counts["receiving"] ?? 0
      switch row[2] {
      case "":
        #expect(replicas == 2 || replicas == 3)
        #expect(counts["received"] == replicas && counts["stored"] == replicas)
        #expect(counts["terminating"] == replicas && counts["exception"] == nil)
      case "failure":
        #expect(counts["exception"] == 1)
      case "skip_step":
        #expect((counts["received"] ?? 0) + (counts["stored"] ?? 0) == 2 * replicas - 1)
      case "repeat_step":
        #expect((counts["received"] ?? 0) + (counts["stored"] ?? 0) == 2 * replicas + 1)
      default:
        #expect(row[2] == "reorder")
      }
    }
  }

  /// What auto-detection must call each scenario's output, and that the lines it cannot parse
  /// are exactly the lines labelled malformed.
  @Test(arguments: [
    ("app", "app"), ("access", "access"), ("process-csv", "csv"), ("metrics-csv", "csv"),
    ("sessions", "loghub:HDFS"), ("syslog", "syslog"), ("json", "json"),
  ])
  func autoDetectionRecognisesEveryScenario(name: String, format: String) throws {
    let generated = try generate(name, lines: 20_000)
    let (source, _) = try InputReader.read(.file(generated.path))
    let result = try RecordReader.read(source, options: ReadOptions())
    #expect(result.formatName == format)
    let unparsed = Set(result.records.filter { !$0.parsed }.map { String($0.line) })
    let malformed = Set(
      generated.labels.dropFirst().filter { $0.count > 2 && $0[2] == "malformed_line" }.map {
        $0[0]
      })
    #expect(unparsed == malformed)
    #expect(result.records.count == (name.hasSuffix("csv") ? 19_999 : 20_000))
  }

  @Test func labelsDescribeTheirLines() throws {
    let access = try generate("access", lines: 20_000)
    let accessLines = String(decoding: access.log, as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false)
    for row in access.labels.dropFirst() where row[1] == "1" {
      let line = accessLines[Int(row[0])! - 1]
      switch row[2] {
      case "sql_injection":
        #expect(
          line.lowercased().contains("or") || line.contains("UNION") || line.contains("%27--"))
      case "path_traversal": #expect(line.contains("..") && line.contains("etc/"))
      case "xss": #expect(line.lowercased().contains("script") || line.contains("onerror"))
      case "scanner_agent":
        #expect(
          line.contains("sqlmap") || line.contains("Nikto") || line.contains("Nmap")
            || line.contains("masscan"))
      case "server_error_burst": #expect(line.contains("\" 50"))
      case "exfiltration": #expect(line.contains("python-requests"))
      default: break
      }
    }
    let metrics = try generate("metrics-csv", lines: 20_000)
    let metricLines = String(decoding: metrics.log, as: UTF8.self).split(separator: "\n")
    for row in metrics.labels.dropFirst() {
      let cells = metricLines[Int(row[0])! - 1].split(separator: ",")
      let latency = Int(cells[2])!
      if row[2] == "latency_spike" {
        #expect(latency >= 5000)
      } else if row[1] == "0" {
        #expect(latency < 5000)
      }
      if row[2] == "cpu_spike" { #expect(Double(cells[6])! >= 97) }
    }
  }
}
