import Testing

@testable import LoupeCore

/// A delimited stream keeps its column names after its header scrolls out of the window.
@Suite struct IncrementalHeaderTests {
  func row(_ index: Int, status: Int = 200) -> String {
    "2024-01-15T08:\(String(format: "%02d:%02d", index / 60 % 60, index % 60))Z,/page/\(index % 7),\(status),\(100 + index % 13)"
  }

  @Test func theCSVHeaderStaysInFrontOfTheWindow() throws {
    var options = AnalysisOptions()
    options.read.defaultYear = 2024
    var analyzer = IncrementalAnalyzer(options: options, window: 100)
    let firstRows = ["time,path,status,duration_ms"] + (1...60).map { row($0) }
    let firstUpdate = analyzer.append(firstRows, name: "s.csv")
    let first = try #require(firstUpdate)
    #expect(first.result.read.formatName == "csv")
    #expect(analyzer.header == ["time,path,status,duration_ms"])
    // 140 more rows: the window now holds the last 100 lines, without the header.
    var rows = (61...200).map { row($0) }
    rows[130] = row(191, status: 503)
    let laterUpdate = analyzer.append(rows, name: "s.csv")
    let later = try #require(laterUpdate)
    #expect(later.headerLines == 1)
    #expect(later.result.read.formatName == "csv")
    #expect(later.result.read.records.count == 100)
    #expect(later.result.read.field(0, "path") != nil)
    // Stream lines: the header is line 1, row n is line n + 1.
    let last = later.result.read.records.count - 1
    #expect(later.streamLine(of: last) == 201)
    let failing = try #require(
      later.result.read.records.indices.first { later.result.read.field($0, "status") == "503" })
    #expect(later.streamLine(of: failing) == 192)
  }

  @Test func aResumedStreamStartsWithItsHeader() throws {
    let header = ["time,path,status,duration_ms"]
    #expect(
      IncrementalAnalyzer.delimitedHeader(header + (1...20).map { row($0) }, options: ReadOptions())
        == header)
    let w3c = [
      "#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0",
      "#Fields: date time cs-method cs-uri-stem sc-status",
      "2024-01-15 08:00:00 GET /index.html 200",
    ]
    #expect(IncrementalAnalyzer.delimitedHeader(w3c, options: ReadOptions()) == w3c.dropLast())
    #expect(
      IncrementalAnalyzer.delimitedHeader(
        ["2024-01-15 08:00:00 INFO started", "2024-01-15 08:00:01 INFO ok"],
        options: ReadOptions()
      ).isEmpty)

    // 300 lines were seen before: the first window is rows 300 to 359, read under the header.
    var options = AnalysisOptions()
    options.read.defaultYear = 2024
    var analyzer = IncrementalAnalyzer(
      options: options, window: 100, linesBefore: 300, header: header)
    let appended = analyzer.append((300..<360).map { row($0) }, name: "s.csv")
    let update = try #require(appended)
    #expect(update.result.read.formatName == "csv")
    #expect(update.result.read.field(0, "status") == "200")
    #expect(update.streamLine(of: 0) == 301)
  }

  @Test func aRotatedFilesHeaderIsNoRow() throws {
    var options = AnalysisOptions()
    options.read.defaultYear = 2024
    var analyzer = IncrementalAnalyzer(options: options, window: 100)
    let header = "time,path,status,duration_ms"
    _ = analyzer.append([header] + (1...60).map { row($0) }, name: "s.csv")
    // The file was rotated: the new one starts with the header again.
    let appended = analyzer.append([header] + (61...120).map { row($0) }, name: "s.csv")
    let update = try #require(appended)
    #expect(update.result.read.formatName == "csv")
    #expect(update.result.read.records.count == 99)
    #expect(
      !update.result.read.records.indices.contains {
        update.result.read.field($0, "path") == "path"
      })
    // Line numbers still count every line the stream had.
    #expect(update.streamLine(of: update.result.read.records.count - 1) == 122)
  }

  @Test func plainTextHasNoHeader() throws {
    var analyzer = IncrementalAnalyzer(options: AnalysisOptions(), window: 100)
    _ = analyzer.append(
      ["2024-01-15 08:00:00 INFO started", "2024-01-15 08:00:01 INFO ok"], name: "a.log")
    #expect(analyzer.header.isEmpty)
  }
}
