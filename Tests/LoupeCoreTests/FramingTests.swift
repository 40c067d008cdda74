import Testing

@testable import LoupeCore

@Suite struct FramingTests {
  @Test func crlfAndMissingFinalNewline() throws {
    let result = try Fixtures.read(
      "2024-01-15 08:00:00 INFO [A] one\r\n2024-01-15 08:00:01 INFO [A] two\r\n\r\n2024-01-15 08:00:02 WARN [A] three"
    )
    #expect(result.records.map { result.text($0.message) } == ["one", "two", "three"])
    #expect(result.records.map(\.line) == [1, 2, 4])
    #expect(result.lineCount == 4)
  }

  @Test func javaStackTraceJoinsTheRecordThatStartsIt() throws {
    let result = try Fixtures.read(
      """
      2024-01-15 08:00:00,000 INFO [main] com.x.App: starting
      2024-01-15 08:00:01,000 ERROR [main] com.x.App: request failed
      java.lang.IllegalStateException: boom
      \tat com.x.App.handle(App.java:42)
      \tat com.x.App.main(App.java:10)
      Caused by: java.io.IOException: disk
      \t... 2 more
      2024-01-15 08:00:02,000 INFO [main] com.x.App: recovered
      """)
    #expect(result.records.count == 3)
    let trace = result.records[1]
    #expect(trace.line == 2)
    #expect(trace.lineCount == 6)
    #expect(
      result.text(trace.message)?.hasPrefix(
        "request failed\njava.lang.IllegalStateException: boom\n\tat com.x.App.handle") == true)
    #expect(result.text(trace.message)?.hasSuffix("\t... 2 more") == true)
    #expect(result.records[2].line == 8)
    #expect(result.unparsedCount == 0)
  }

  @Test func pythonTracebackJoinsTheRecordThatStartsIt() throws {
    let result = try Fixtures.read(
      """
      2024-01-15 08:00:00,000 - app - ERROR - handler crashed
      Traceback (most recent call last):
        File "app.py", line 3, in <module>
          main()
      ValueError: bad value
      2024-01-15 08:00:01,000 - app - INFO - next
      """)
    #expect(result.records.count == 2)
    #expect(result.records[0].lineCount == 5)
    #expect(result.text(result.records[0].message)?.hasSuffix("ValueError: bad value") == true)
    #expect(result.records[1].line == 6)
  }

  @Test func invalidUTF8IsKeptAsReplacementCharacters() throws {
    let bytes: [UInt8] =
      Array("2024-01-15 08:00:00 INFO [A] caf".utf8) + [0xC3] + Array(" ok\n".utf8)
      + [0xFF, 0xFE] + Array(" junk\n".utf8)
    var options = ReadOptions()
    options.defaultYear = 2024
    let result = try RecordReader.read(Fixtures.buffer(bytes: bytes), options: options)
    #expect(result.records.count == 2)
    #expect(result.text(result.records[0].message) == "caf\u{FFFD} ok")
    #expect(result.records[1].parsed == false)
    #expect(result.text(result.records[1].message) == "\u{FFFD}\u{FFFD} junk")
    #expect(result.unparsedExamples.first?.line == 2)
  }

  @Test func parallelChunksKeepLineNumbersAndOrder() throws {
    // More than 1 MiB, so that the reader splits the input between cores.
    var text = ""
    for index in 1...40_000 {
      text += "2024-01-15 08:00:00 INFO [Svc] request \(index) handled in \(index % 97) ms\n"
      if index % 10_000 == 0 { text += "  continuation of \(index)\n" }
    }
    let result = try Fixtures.read(text)
    #expect(result.records.count == 40_000)
    #expect(result.lineCount == 40_004)
    for (index, record) in result.records.enumerated() where index % 997 == 0 {
      #expect(result.text(record.message)?.hasPrefix("request \(index + 1) ") == true)
    }
    #expect(result.records[9_999].lineCount == 2)
    #expect(result.records[10_000].line == 10_002)
    #expect(result.records.last?.line == 40_003)
  }
}
