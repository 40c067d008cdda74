import Foundation
import Testing

@testable import LoupeCore

/// Parses a LOGPAI structured CSV (quoted fields, `""` escapes) into rows of cells.
func readStructuredCSV(_ path: String) throws -> [[String: String]] {
  let text = try String(contentsOfFile: path, encoding: .utf8)
  var rows: [[String]] = []
  var row: [String] = []
  var cell = ""
  var quoted = false
  var iterator = text.unicodeScalars.makeIterator()
  var pending: Unicode.Scalar? = nil
  while let scalar = pending ?? iterator.next() {
    pending = nil
    if quoted {
      if scalar == "\"" {
        if let next = iterator.next() {
          if next == "\"" {
            cell.unicodeScalars.append("\"")
          } else {
            quoted = false
            pending = next
          }
        } else {
          quoted = false
        }
      } else {
        cell.unicodeScalars.append(scalar)
      }
      continue
    }
    switch scalar {
    case "\"": quoted = true
    case ",":
      row.append(cell)
      cell = ""
    case "\n":
      row.append(cell)
      rows.append(row)
      row = []
      cell = ""
    case "\r": break
    default: cell.unicodeScalars.append(scalar)
    }
  }
  if !cell.isEmpty || !row.isEmpty {
    row.append(cell)
    rows.append(row)
  }
  guard let header = rows.first else { return [] }
  return rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
}

@Suite struct HeaderPatternTests {
  /// The systems whose 2k sample is in `../shared/datasets/loghub-2k` (the other six are not;
  /// ``FormatDetectionTests`` and ``LoghubExcerptTests`` check their layouts on excerpts).
  static let systems = [
    "HDFS", "Hadoop", "Spark", "Zookeeper", "BGL", "HPC", "Windows", "Linux", "Android", "Apache",
  ]

  /// Every Loghub system's lines parse with its format, and each field and the content equal
  /// what LOGPAI's reference parser extracted (the structured CSV), modulo surrounding spaces.
  @Test(arguments: systems)
  func loghubFormatMatchesTheReferenceExtraction(system: String) throws {
    let format = try #require(LoghubFormats.format(named: system))
    let (source, _) = try InputReader.read(
      .file(Fixtures.dataset("loghub-2k/\(system)/\(system)_2k.log")))
    let reference = try readStructuredCSV(
      Fixtures.dataset("loghub-2k/\(system)/\(system)_2k.log_structured.csv"))
    var options = ReadOptions()
    options.format = "loghub:\(system)"
    options.defaultYear = 2024
    let result = try RecordReader.read(source, options: options)
    #expect(result.formatName == format.name)
    #expect(result.records.count == 2000)
    #expect(result.unparsedCount == 0)
    var mismatches: [String] = []
    for (index, record) in result.records.enumerated() {
      let expected = reference[index]
      let content = result.text(record.message)?.trimmingCharacters(in: .whitespaces)
      if content != expected["Content"]?.trimmingCharacters(in: .whitespaces) {
        mismatches.append("line \(record.line) Content: \(content ?? "nil")")
      }
      for name in format.pattern.fieldNames where name != "Content" {
        let value = result.field(index, name)?.trimmingCharacters(in: .whitespaces)
        if value != expected[name]?.trimmingCharacters(in: .whitespaces) {
          mismatches.append(
            "line \(record.line) \(name): \(value ?? "nil") vs \(expected[name] ?? "nil")")
        }
      }
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    #expect(result.records.filter { $0.timestamp != nil }.count == 2000)
  }

  @Test func optionalGroupsAndClasses() throws {
    let pattern = try HeaderPattern(
      #"<Month> <Date> <Time> <Host> <Component>(\[<PID>\])?: <Content>"#)
    let lines = [
      "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass",
      "Jun 14 15:16:02 combo kernel: hello",
    ]
    for line in lines {
      let bytes = Array(line.utf8)
      let captures = try #require(
        bytes.withUnsafeBufferPointer { pattern.match($0, ByteSpan(0, bytes.count)) })
      let values = captures.map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
      #expect(values[3] == "combo")
      #expect(values.last == (line.hasSuffix("hello") ? "hello" : "check pass"))
    }
    let classes = try HeaderPattern(#"\d+ [A-Z]+ <Content>"#)
    let good = Array("123 ABC rest of line".utf8)
    let bad = Array("12x ABC rest".utf8)
    #expect(good.withUnsafeBufferPointer { classes.match($0, ByteSpan(0, good.count)) } != nil)
    #expect(bad.withUnsafeBufferPointer { classes.match($0, ByteSpan(0, bad.count)) } == nil)
  }

  @Test(arguments: ["<Date <Content>", "(<Date> <Content>", "no fields at all", "[abc <Content>"])
  func invalidFormatsAreRejectedWithAMessage(format: String) {
    #expect(throws: HeaderPattern.SyntaxError.self) { try HeaderPattern(format) }
  }

  @Test func logFormatOptionDrivesTheReader() throws {
    let result = try Fixtures.read(
      "2024-01-15 08:00:00 [worker] ERROR something broke\nnot matching\n",
      logFormat: #"<Date> <Time> \[<Process>\] <Level> <Content>"#)
    #expect(result.formatName == "log-format")
    #expect(result.records[0].level == .error)
    #expect(result.text(result.records[0].process) == "worker")
    #expect(result.text(result.records[0].message) == "something broke")
    #expect(result.records[0].timestamp == epoch(2024, 1, 15, 8))
    #expect(result.unparsedCount == 1)
  }

  @Test func pathologicalLinesStayBounded() throws {
    let pattern = try HeaderPattern("<A> <B> <C> <D> <E> <F> <G>: <Content>")
    let line = Array(String(repeating: "a ", count: 5000).utf8)
    #expect(line.withUnsafeBufferPointer { pattern.match($0, ByteSpan(0, line.count)) } == nil)
  }
}
