import Testing

@testable import LoupeCore

/// Rare field values and rare pairs of values in tabular records.
@Suite struct FieldRarityTests {
  func analyze(_ rows: [String], header: String, detectors: [String]) throws -> AnalysisResult {
    var options = AnalysisOptions()
    options.detectors = detectors
    options.read.format = "csv"
    return try Analyzer(options: options).analyze(
      Fixtures.buffer(([header] + rows).joined(separator: "\n") + "\n", name: "activity.csv"))
  }

  /// A process table: a masquerading svchost.exe in a temporary folder, a tool seen once, and
  /// a label column holding the answers, which must not be read.
  @Test func aValueOutOfItsUsualCompanyIsFlagged() throws {
    let users = ["alice", "bob", "carol", "dave"]
    let programs = [
      ("svchost.exe", #"C:\Windows\System32\svchost.exe"#),
      ("explorer.exe", #"C:\Windows\explorer.exe"#),
      ("chrome.exe", #"C:\Program Files\Google\Chrome\chrome.exe"#),
    ]
    var rows: [String] = []
    for index in 0..<3_000 {
      let (name, path) = programs[index % programs.count]
      rows.append("\(users[index % users.count]),\(name),\(path),FileRead,normal")
    }
    // Row 1000 (line 1002): svchost.exe out of place; row 2000 (line 2002): a tool seen once.
    rows[1000] = #"bob,svchost.exe,C:\Users\bob\AppData\Local\Temp\svchost.exe,FileRead,normal"#
    rows[2000] = #"carol,nc.exe,C:\Users\Public\nc.exe,FileRead,normal"#
    // The label column marks ten ordinary rows; a detector that read it would flag them.
    for index in stride(from: 100, to: 1_000, by: 90) {
      rows[index] = rows[index].replacingOccurrences(of: ",normal", with: ",attack")
    }
    let result = try analyze(
      rows, header: "User,Basename,Path,Action,Label", detectors: ["fields", "rare"])
    let byLine = Dictionary(
      uniqueKeysWithValues: result.findings.map { (result.read.records[$0.record].line, $0) })
    #expect(Set(byLine.keys) == [1002, 2002])
    let masquerade = try #require(byLine[1002])
    #expect(masquerade.reason.contains(#"with Basename 'svchost.exe': 1 of its 1001 records"#))
    #expect(masquerade.severity == .high)
    let tool = try #require(byLine[2002])
    // Seen once: alone, or with a partner of a thousand records — a pair explains more.
    #expect(tool.reason.contains(#"'C:\Users\Public\nc.exe' with User 'carol': 1 of its 751"#))
    let fields = try #require(result.reports.first { $0.name == "fields" })
    // Action has one value: nothing to compare.
    #expect(fields.parameters["fields"] == "User,Basename,Path")
    let rare = try #require(result.reports.first { $0.name == "rare" })
    #expect(rare.parameters["skipped"]?.contains("rows of a table") == true)
  }

  /// A routine record's level speaks for its message, not its data: a rare client in an
  /// informational request stays a low finding (×0.7), while a one-off informational message
  /// alone makes none (×0.5).
  @Test func rareValuesInRoutineRecordsAreLowFindings() throws {
    var lines = (0..<3_000).map { index in
      #"{"time":"2024-01-15T08:00:\#(String(format: "%02d", index % 60))Z","level":"info","msg":"request \#(index) served","client":"\#(index % 2 == 0 ? "web" : "mobile")"}"#
    }
    lines[1000] = lines[1000].replacingOccurrences(
      of: #""client":"web""#, with: #""client":"curl""#)
    lines[2000] =
      #"{"time":"2024-01-15T08:10:00Z","level":"info","msg":"cache warmed by operator","client":"web"}"#
    var options = AnalysisOptions()
    options.detectors = ["fields", "rare"]
    let result = try Analyzer(options: options).analyze(
      Fixtures.buffer(lines.joined(separator: "\n") + "\n", name: "requests.jsonl"))
    #expect(result.read.formatName == "json")
    let byLine = Dictionary(
      uniqueKeysWithValues: result.findings.map { (result.read.records[$0.record].line, $0) })
    #expect(Set(byLine.keys) == [1001])
    let client = try #require(byLine[1001])
    #expect(client.reason.contains("client 'curl'"))
    #expect(abs(client.score - 0.85 * RoutineWeight.contextFactor) < 1e-9)
    #expect(client.severity == .low)
    let rare = try #require(result.reports.first { $0.name == "rare" })
    #expect(rare.hits.contains { result.read.records[$0.record].line == 2001 })
  }

  /// A field whose rare values are common together — a long tail of pages, each seen twice —
  /// has no outliers by rarity, alone or as a partner; a lone tool among browsers does.
  @Test func aLongTailIsNoOutlier() throws {
    let users = ["alice", "bob", "carol", "dave"]
    var rows = (0..<3_000).map { index in
      let page = index % 10 == 0 ? "/page\((index / 10) % 150)" : index % 2 == 0 ? "/home" : "/cart"
      return "\(users[index % users.count]),\(page),browser"
    }
    rows[1_501] = "bob,/cart,curl"
    let result = try analyze(rows, header: "User,Page,Tool", detectors: ["fields"])
    let fields = try #require(result.reports.first)
    #expect(fields.parameters["fields"] == "User,Page,Tool")
    #expect(result.findings.map { result.read.records[$0.record].line } == [1_503])
    #expect(result.findings.first?.reason.contains("'curl'") == true)
  }

  /// Among 60 addresses of 40 records each (a long tail), an address with 11 of the UDP
  /// records where its share predicts about 20 is sampling noise; one with a single UDP record
  /// is a rare pair.
  @Test func aPartnerInALongTailMustBeScarcerThanItsShare() throws {
    var rows: [String] = []
    for address in 0..<60 {
      let udp = address == 7 ? 11 : address == 9 ? 1 : 20
      for index in 0..<40 {
        rows.append("10.0.0.\(address),\(index < udp ? "UDP" : "TCP"),dns")
      }
    }
    let result = try analyze(rows, header: "src_ip,proto,service", detectors: ["fields"])
    let fields = try #require(result.reports.first)
    #expect(fields.parameters["fields"] == "src_ip,proto")
    let flagged = result.findings.map { result.read.records[$0.record].line }
    // Address 9's only UDP record is row 9 × 40, the file's line 9 × 40 + 2.
    #expect(flagged == [9 * 40 + 2])
    #expect(
      result.findings.first?.reason.contains("src_ip '10.0.0.9' with proto 'UDP': 1 of its")
        == true)
  }

  /// A header format's parts (BGL's node, type, component — and its label) are not data.
  @Test func headerPartsAreLeftToTheTemplates() throws {
    var options = AnalysisOptions()
    options.detectors = ["fields"]
    let result = try Analyzer(options: options).analyze(
      .file(Fixtures.dataset("loghub-2k/BGL/BGL_2k.log")))
    #expect(result.read.formatName == "loghub:BGL")
    #expect(result.findings.isEmpty)
    #expect(
      result.reports.first?.parameters["skipped"] == "the fields are parts of a header format")
  }

  /// Identifiers and small inputs say nothing by their rarity.
  @Test func manyValuedFieldsAndSmallInputsAreLeftAlone() throws {
    let rows = (0..<3_000).map { "req-\($0),\($0 % 2 == 0 ? "GET" : "POST"),200" }
    let result = try analyze(rows, header: "request,method,status", detectors: ["fields"])
    #expect(result.findings.isEmpty)
    let report = try #require(result.reports.first)
    #expect(report.parameters["fields"] == "method")
    let small = try analyze(
      Array(rows.prefix(500)), header: "request,method,status", detectors: ["fields"])
    #expect(small.reports.first?.parameters["skipped"] == "fewer than 1000 records")
  }
}
