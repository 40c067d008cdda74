import Testing

@testable import LoupeCore

@Suite struct TimestampParserTests {
  let parser = TimestampParser(defaultYear: 2024)

  func parse(_ text: String) -> Double? {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBufferPointer { parser.parse($0, ByteSpan(0, bytes.count)) }
  }

  @Test(arguments: [
    ("2024-01-15 08:00:00", epoch(2024, 1, 15, 8)),
    ("2024-01-15T08:00:00Z", epoch(2024, 1, 15, 8)),
    ("2024-01-15T08:00:00+02:00", epoch(2024, 1, 15, 6)),
    ("2024-01-15T08:00:00-0500", epoch(2024, 1, 15, 13)),
    ("2024/01/15 08:00:00", epoch(2024, 1, 15, 8)),
    ("28/Jan/2026:08:59:59 +0530", epoch(2026, 1, 28, 3, 29, 59)),
    ("Sun Dec 04 04:47:44 2005", epoch(2005, 12, 4, 4, 47, 44)),
    ("Jun 14 15:16:01", epoch(2024, 6, 14, 15, 16, 1)),
    ("Jul  3 04:08:03", epoch(2024, 7, 3, 4, 8, 3)),
    ("081109 203615", epoch(2008, 11, 9, 20, 36, 15)),
    ("17/06/09 20:10:40", epoch(2017, 6, 9, 20, 10, 40)),
    ("1117838570", 1_117_838_570),
    ("2016-09-28 04:30:30,", epoch(2016, 9, 28, 4, 30, 30)),
    ("15 Jan 2024 08:00:00", epoch(2024, 1, 15, 8)),
    ("15 Jan 08:00:00", epoch(2024, 1, 15, 8)),
  ])
  func wholeSeconds(text: String, expected: Double) {
    #expect(parse(text) == expected)
  }

  @Test func fractionsAreKept() throws {
    let comma = try #require(parse("2015-07-29 17:41:44,747"))
    #expect(abs(comma - (epoch(2015, 7, 29, 17, 41, 44) + 0.747)) < 1e-6)
    let bgl = try #require(parse("2005-06-03-15.42.50.675872"))
    #expect(abs(bgl - (epoch(2005, 6, 3, 15, 42, 50) + 0.675872)) < 1e-6)
    let android = try #require(parse("03-17 16:13:38.811"))
    #expect(abs(android - (epoch(2024, 3, 17, 16, 13, 38) + 0.811)) < 1e-6)
    let apache24 = try #require(parse("Wed Oct 11 14:32:52.123456 2000"))
    #expect(abs(apache24 - (epoch(2000, 10, 11, 14, 32, 52) + 0.123456)) < 1e-6)
    #expect(parse("1700000000123") == 1_700_000_000.123)
    let healthApp = try #require(parse("20171223-22:15:29:606"))
    #expect(abs(healthApp - (epoch(2017, 12, 23, 22, 15, 29) + 0.606)) < 1e-6)
  }

  @Test(arguments: ["hello world", "user 42 logged in", "2024-13-45 99:00:00", "", "-", "v1.2.3"])
  func nonTimestampsAreRejected(text: String) {
    #expect(parse(text) == nil)
  }

  /// A timestamp followed by other text: its instant and where it ends.
  @Test(arguments: [
    (
      "2017-05-16 00:00:00.008 25746 INFO nova", epoch(2017, 5, 16) + 0.008,
      "2017-05-16 00:00:00.008"
    ),
    (
      "20171223-22:15:29:606|Step_LSC|30002312|x", epoch(2017, 12, 23, 22, 15, 29) + 0.606,
      "20171223-22:15:29:606"
    ),
    ("10.30 16:49:06] chrome.exe - proxy", epoch(2024, 10, 30, 16, 49, 6), "10.30 16:49:06"),
    ("Jan 28 08:59:59 host sshd[1]: x", epoch(2024, 1, 28, 8, 59, 59), "Jan 28 08:59:59"),
    ("2024-01-15T08:00:00Z ERROR disk full", epoch(2024, 1, 15, 8), "2024-01-15T08:00:00Z"),
    ("28/Jan/2026:08:59:59 +0530 x", epoch(2026, 1, 28, 3, 29, 59), "28/Jan/2026:08:59:59 +0530"),
    (
      "Sun Dec 04 04:47:44 2005 [error] x", epoch(2005, 12, 4, 4, 47, 44),
      "Sun Dec 04 04:47:44 2005"
    ),
    ("1705305600 worker started", 1_705_305_600, "1705305600"),
  ])
  func timestampsBeforeText(text: String, expected: Double, stamp: String) throws {
    let bytes = Array(text.utf8)
    let found = try #require(
      bytes.withUnsafeBufferPointer { parser.prefix($0, ByteSpan(0, bytes.count)) })
    #expect(abs(found.seconds - expected) < 1e-6)
    #expect(String(decoding: bytes[..<found.end], as: UTF8.self) == stamp)
  }

  @Test func formatterRoundTrips() {
    #expect(TimestampFormatter.iso8601(epoch(2024, 2, 29, 23, 59, 59)) == "2024-02-29T23:59:59Z")
    #expect(TimestampFormatter.iso8601(epoch(1969, 12, 31, 12)) == "1969-12-31T12:00:00Z")
    #expect(TimestampFormatter.iso8601(epoch(2024, 1, 1) + 0.25) == "2024-01-01T00:00:00.250Z")
    #expect(TimestampParser.year(of: epoch(2023, 12, 31, 23, 59, 59)) == 2023)
  }
}
