import Foundation
import LoupeCore
import LoupeStore
import Testing

/// Where the tests' stores live: a fresh SQLite file, and a fresh PostgreSQL database on the
/// server `.ci/run` starts (`LOUPE_TEST_POSTGRES_URL`).
enum TestStores {
  static let postgresURL = ProcessInfo.processInfo.environment["LOUPE_TEST_POSTGRES_URL"]

  /// The kinds to run each store test against.
  static var kinds: [String] { postgresURL == nil ? ["sqlite"] : ["sqlite", "postgres"] }

  /// A new, empty store of `kind`, and how to throw it away.
  static func make(_ kind: String) async throws -> (SQLResultStore, @Sendable () async -> Void) {
    if kind == "postgres", let url = postgresURL {
      // A database of its own per test, so that tests run side by side.
      let name =
        "loupe_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
      let admin = try PostgresExecutor(url: url)
      try await admin.execute("CREATE DATABASE \(name)", [])
      var components = URLComponents(string: url)
      components?.path = "/" + name
      let store = try await StoreOpener.open(components?.string ?? url)
      return (
        store,
        {
          await store.close()
          try? await admin.execute("DROP DATABASE \(name)", [])
          await admin.close()
        }
      )
    }
    let path = NSTemporaryDirectory() + "loupe-store-\(UUID().uuidString).sqlite"
    let store = try await StoreOpener.open(path)
    return (
      store,
      {
        await store.close()
        for suffix in ["", "-wal", "-shm"] {
          try? FileManager.default.removeItem(atPath: path + suffix)
        }
      }
    )
  }

  /// An analysis of a small log with findings, templates and sessions.
  static func record(owner: String = "api", id: String = UUID().uuidString.lowercased()) throws
    -> AnalysisRecord
  {
    var lines: [String] = []
    for index in 0..<1500 {
      let time = String(format: "2024-03-01 10:%02d:%02d", index / 60 % 60, index % 60)
      switch index {
      case 100, 700, 1300:
        lines.append("\(time) ERROR [Db] connection refused to db-\(index % 5) req=\(index)")
      case 400:
        lines.append("\(time) FATAL [Kernel] out of memory: <script>alert(1)</script> killed")
      case 900:
        lines.append("\(time) WARN [Auth] password=hunter2secret leaked 100%_done")
      default:
        lines.append("\(time) INFO [Gateway] request \(index) served in \(index % 40 + 10) ms")
      }
    }
    let path = NSTemporaryDirectory() + "loupe-store-\(UUID().uuidString).log"
    try (lines.joined(separator: "\n") + "\n").write(
      toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    var options = AnalysisOptions()
    options.sessions = .key("req=(\\d+)")
    let result = try Analyzer(options: options).analyze(.file(path))
    let summary = AnalysisSummary(result, options: options)
    return try AnalysisRecord(
      result: result, summary: summary, owner: owner, inputName: "app.log", config: "{}", id: id)
  }
}

/// The same tests on SQLite and PostgreSQL.
@Suite struct StoreTests {
  @Test(arguments: TestStores.kinds) func savesAndReadsBackAnAnalysis(kind: String) async throws {
    let (store, discard) = try await TestStores.make(kind)
    let record = try TestStores.record()
    try await store.save(record)
    let loaded = try #require(try await store.analysis(id: record.analysis.id))
    #expect(loaded.inputName == "app.log")
    #expect(loaded.records == record.analysis.records)
    #expect(loaded.anomalies == record.findings.count)
    #expect(loaded.report.contains("<!DOCTYPE html>"))
    #expect(loaded.summary == record.analysis.summary)
    let page = try await store.findings(analysis: record.analysis.id, query: FindingQuery())
    #expect(page.total == record.findings.count)
    #expect(page.findings == Array(record.findings.prefix(50)))
    #expect(!page.findings.contains { $0.message.contains("hunter2secret") })
    let templates = try await store.templates(analysis: record.analysis.id)
    #expect(templates.count == record.templates.count)
    #expect(templates.first?.count ?? 0 >= templates.last?.count ?? 0)
    let sessions = try await store.sessions(analysis: record.analysis.id)
    #expect(sessions.count == record.sessions.count)
    #expect(
      try await store.analyses(owner: nil, limit: 10, offset: 0).map(\.id) == [record.analysis.id])
    #expect(try await store.analyses(owner: nil, limit: 10, offset: 0).first?.report == "")
    await discard()
  }

  @Test(arguments: TestStores.kinds) func findingsAreFilteredSearchedSortedAndPaged(kind: String)
    async throws
  {
    let (store, discard) = try await TestStores.make(kind)
    let record = try TestStores.record()
    try await store.save(record)
    let id = record.analysis.id
    let critical = try await store.findings(analysis: id, query: FindingQuery(severity: .critical))
    #expect(critical.total == record.findings.filter { $0.severity == .critical }.count)
    #expect(critical.findings.allSatisfy { $0.severity == .critical })
    let refused = try await store.findings(analysis: id, query: FindingQuery(search: "REFUSED"))
    #expect(refused.total == 3)
    // LIKE's wildcards in a search are literal characters.
    let percent = try await store.findings(analysis: id, query: FindingQuery(search: "100%_"))
    #expect(percent.total == record.findings.filter { $0.message.contains("100%_") }.count)
    let none = try await store.findings(analysis: id, query: FindingQuery(search: "%"))
    #expect(
      none.total
        == record.findings.filter { $0.message.contains("%") || $0.reason.contains("%") }.count)
    let byScore = try await store.findings(analysis: id, query: FindingQuery(order: .score))
    #expect(byScore.findings.map(\.score) == byScore.findings.map(\.score).sorted(by: >))
    let bySeverity = try await store.findings(analysis: id, query: FindingQuery(order: .severity))
    #expect(bySeverity.findings.first?.severity == record.findings.map(\.severity).max())
    let pageTwo = try await store.findings(analysis: id, query: FindingQuery(page: 2, pageSize: 2))
    #expect(pageTwo.findings == Array(record.findings.dropFirst(2).prefix(2)))
    #expect(pageTwo.total == record.findings.count)
    await discard()
  }

  @Test(arguments: TestStores.kinds) func deletingRemovesEverythingAndOwnersAreIsolated(
    kind: String
  ) async throws {
    let (store, discard) = try await TestStores.make(kind)
    let mine = try TestStores.record(owner: "browser-a")
    let theirs = try TestStores.record(owner: "browser-b")
    try await store.save(mine)
    try await store.save(theirs)
    #expect(
      try await store.analyses(owner: "browser-a", limit: 10, offset: 0).map(\.id) == [
        mine.analysis.id
      ])
    #expect(try await store.deleteAll(owner: "browser-a") == 1)
    #expect(try await store.analysis(id: mine.analysis.id) == nil)
    #expect(try await store.findings(analysis: mine.analysis.id, query: FindingQuery()).total == 0)
    #expect(try await store.templates(analysis: mine.analysis.id).isEmpty)
    #expect(try await store.analysis(id: theirs.analysis.id) != nil)
    #expect(try await store.delete(analysis: theirs.analysis.id))
    #expect(!(try await store.delete(analysis: theirs.analysis.id)))
    await discard()
  }

  @Test(arguments: TestStores.kinds) func aFailedSaveLeavesNothingBehind(kind: String) async throws
  {
    let (store, discard) = try await TestStores.make(kind)
    let record = try TestStores.record(id: "same-id")
    try await store.save(record)
    // The same id again fails at the first insert…
    await #expect(throws: (any Error).self) { try await store.save(record) }
    // …and a record whose findings break half-way leaves no analysis row either.
    var broken = try TestStores.record(id: "broken")
    broken.templates.append(broken.templates[0])  // a duplicate primary key after the findings
    await #expect(throws: (any Error).self) { try await store.save(broken) }
    #expect(try await store.analysis(id: "broken") == nil)
    #expect(try await store.findings(analysis: "broken", query: FindingQuery()).total == 0)
    #expect(try await store.analyses(owner: nil, limit: 10, offset: 0).count == 1)
    await discard()
  }

  @Test(arguments: TestStores.kinds) func modelsAndIngestedLines(kind: String) async throws {
    let (store, discard) = try await TestStores.make(kind)
    try await store.saveModel(name: "prod", body: "{\"v\":1}")
    try await store.saveModel(name: "prod", body: "{\"v\":2}")
    #expect(try await store.model(name: "prod") == "{\"v\":2}")
    #expect(try await store.modelNames() == ["prod"])
    let lines = (1...700).map { "line \($0) with 'quotes' and ? marks" }
    #expect(try await store.appendIngest(stream: "web", lines: lines, at: 1) == 700)
    #expect(try await store.appendIngest(stream: "web", lines: ["more"], at: 2) == 701)
    let after = try await store.ingested(stream: "web", after: 698, limit: 10)
    #expect(after.map(\.seq) == [699, 700, 701])
    #expect(after.first?.line == "line 699 with 'quotes' and ? marks")
    #expect(try await store.streams().map(\.lines) == [701])
    #expect(try await store.ingestedCount(stream: "web") == 701)
    #expect(try await store.ingestedCount(stream: "none") == 0)
    await discard()
  }

  @Test func ciRunsThePostgreSQLStoreToo() {
    // .ci/run starts PostgreSQL and sets LOUPE_TEST_POSTGRES_URL; in CI the PostgreSQL half
    // of these tests must not be skipped silently.
    if ProcessInfo.processInfo.environment["CI"] != nil {
      #expect(TestStores.postgresURL != nil)
    }
  }
}
