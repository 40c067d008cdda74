import Testing

@testable import LoupeCore

@Suite struct DelimitedTests {
  @Test func metricsDatasetIsAuditedAndTyped() throws {
    let (source, _) = try InputReader.read(.file(Fixtures.dataset("web/sample_metrics.csv")))
    let result = try RecordReader.read(source, options: ReadOptions())
    let audit = try #require(result.audit)
    #expect(audit.rows == 150)
    #expect(audit.columns == 8)
    #expect(audit.delimiter == ",")
    #expect(audit.timestampColumn == "timestamp")
    let types = Dictionary(uniqueKeysWithValues: audit.columnProfiles.map { ($0.name, $0.type) })
    #expect(types["timestamp"] == .timestamp)
    #expect(types["request_time_ms"] == .integer)
    #expect(types["error_rate"] == .float)
    #expect(types["cpu_usage"] == .float)
    #expect(audit.identifierColumns.contains("user_id"))
    #expect(
      Set(audit.numericColumns).isSuperset(of: [
        "request_time_ms", "response_bytes", "cpu_usage", "memory_usage",
      ]))
    #expect(!audit.numericColumns.contains("user_id"))
    #expect(result.records.allSatisfy { $0.timestamp != nil })
    #expect(result.field(0, "cpu_usage") == "40.5")
  }

  @Test func quotedFieldsWithDelimitersQuotesAndNewlines() throws {
    let text =
      "time;level;message;count\n"
      + "2024-01-15 08:00:00;INFO;\"hello; world\";1\n"
      + "2024-01-15 08:00:01;ERROR;\"she said \"\"no\"\"\nand left\";2\n"
      + "2024-01-15 08:00:02;WARN;plain;3\n"
    let result = try Fixtures.read(text)
    #expect(result.formatName == "csv")
    #expect(result.audit?.delimiter == ";")
    #expect(result.records.count == 3)
    #expect(result.text(result.records[0].message) == "hello; world")
    #expect(result.text(result.records[1].message) == "she said \"no\"\nand left")
    #expect(result.records[1].level == .error)
    #expect(result.records.map(\.line) == [2, 3, 5])
  }

  @Test func auditCountsNullsDuplicatesConstantsAndRaggedRows() throws {
    var text = "id,host,latency,region,note\n"
    for index in 1...30 {
      text += "\(index),web\(index % 3),\(100 + index),eu,\(index % 5 == 0 ? "" : "ok")\n"
    }
    text += "1,web1,101,eu,ok\n"
    text += "31,web1,131,eu,ok\n"
    text += "32,web2\n"
    text += "33,web0,133,eu,ok,extra\n"
    let result = try Fixtures.read(text)
    let audit = try #require(result.audit)
    #expect(audit.rows == 34)
    #expect(audit.raggedRows == 2)
    #expect(audit.duplicateRows == 1)
    #expect(audit.constantColumns == ["region", "note"])
    let note = try #require(audit.columnProfiles.first { $0.name == "note" })
    #expect(note.nullPercent == 20.6)
    #expect(audit.identifierColumns == ["id"])
    #expect(audit.numericColumns == ["latency"])
    #expect(result.problems.map(\.line) == [34, 35])
    #expect(
      result.problems.first?.message
        == "row has 2 cells where the header has 5; missing cells read as empty")
    #expect(result.text(result.records[0].message) == "host=web1")
  }

  @Test func forcedTSV() throws {
    let result = try Fixtures.read("a\tb\n1\t2\n", format: "tsv")
    #expect(result.formatName == "tsv")
    #expect(result.field(0, "b") == "2")
  }
}
