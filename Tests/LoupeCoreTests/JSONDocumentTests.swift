import Testing

@testable import LoupeCore

/// JSON documents of records: an array of objects, or an object holding one (CloudTrail).
@Suite struct JSONDocumentTests {
  @Test func aPrettyPrintedArrayIsOneRecordPerObject() throws {
    let read = try Fixtures.read(
      """
      [
        {
          "timestamp": "2024-01-15T08:00:00Z",
          "level": "info",
          "message": "worker started"
        },
        "a stray string",
        {"timestamp": "2024-01-15T08:00:05Z", "level": "error", "message": "disk full on /var"}
      ]

      """)
    #expect(read.formatName == "json-document")
    #expect(read.records.count == 2)
    #expect(read.records.map(\.line) == [2, 8])
    #expect(read.records.map(\.lineCount) == [5, 1])
    #expect(read.records.map(\.level) == [.info, .error])
    #expect(read.text(read.records[1].message) == "disk full on /var")
    #expect(read.records[1].timestamp == epoch(2024, 1, 15, 8, 0, 5))
    #expect(read.lineCount == 10)
  }

  /// `journalctl -o json-pretty` and `jq .` write pretty-printed objects one after another; a
  /// last object cut short is an unparsed record, the others are kept.
  @Test func prettyPrintedObjectsOneAfterAnother() throws {
    let read = try Fixtures.read(
      """
      {
        "__REALTIME_TIMESTAMP" : "1705305600000000",
        "PRIORITY" : "6",
        "_SYSTEMD_UNIT" : "nginx.service",
        "MESSAGE" : "Started nginx",
        "tags" : [ { "k" : "v" } ]
      }
      {
        "__REALTIME_TIMESTAMP" : "1705305601000000",
        "PRIORITY" : "3",
        "MESSAGE" : "Failed to start nginx"
      }
      {
        "__REALTIME_TIMESTAMP" : "1705305602000000",
        "MESSAGE" : "cut sh
      """)
    #expect(read.formatName == "json-document")
    #expect(read.records.map(\.line) == [1, 8, 13])
    #expect(read.records.map(\.level) == [.info, .error, nil])
    #expect(read.text(read.records[1].message) == "Failed to start nginx")
    #expect(read.records[0].timestamp == 1_705_305_600)
    #expect(read.unparsedCount == 1)
  }

  @Test func cloudTrailRecords() throws {
    let text = """
      {"Records": [
        {"eventTime": "2024-01-15T08:00:00Z", "eventSource": "s3.amazonaws.com", "eventName": "GetObject",
         "sourceIPAddress": "1.2.3.4", "userIdentity": {"type": "IAMUser", "userName": "bob"}},
        {"eventTime": "2024-01-15T08:00:01Z", "eventSource": "signin.amazonaws.com", "eventName": "ConsoleLogin",
         "sourceIPAddress": "5.6.7.8", "errorMessage": "Failed authentication"}
      ]}

      """
    let read = try Fixtures.read(text)
    #expect(read.formatName == "json-document")
    #expect(read.records.map(\.line) == [2, 4])
    #expect(read.records.map(\.timestamp) == [epoch(2024, 1, 15, 8), epoch(2024, 1, 15, 8, 0, 1)])
    #expect(
      read.text(read.records[1].message)
        == "eventSource=signin.amazonaws.com eventName=ConsoleLogin sourceIPAddress=5.6.7.8 errorMessage=Failed authentication"
    )
    let result = try Fixtures.analyze(text.split(separator: "\n").map(String.init))
    let finding = try #require(result.findings.first { $0.record == 1 })
    #expect(finding.reason.contains("failed"))
    #expect(!result.findings.contains { $0.record == 0 })
  }

  @Test(arguments: [
    #"{"level":"info","msg":"a"}"# + "\n" + #"{"level":"error","msg":"b"}"# + "\n",
    "[2024-01-15 08:00:00] [ERROR] disk full\n[2024-01-15 08:00:01] [INFO] ok\n",
    "[\n  {\"msg\": \"cut off\"\n",
  ])
  func otherInputsAreNoDocuments(text: String) throws {
    #expect(try Fixtures.read(text).formatName != "json-document")
  }
}
