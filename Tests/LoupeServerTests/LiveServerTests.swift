import Foundation
import LoupeStore
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `loupe serve` as a user runs it: a real socket, a real SQLite file, syslog from `logger`,
/// and an upload through the page in headless Chromium.
@Suite(.serialized) struct LiveServerTests {
  static var executable: URL {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    while directory.path != "/" {
      let candidate = directory.appendingPathComponent("loupe")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      directory = directory.deletingLastPathComponent()
    }
    return TestLogs.root.appendingPathComponent(".build/debug/loupe")
  }

  /// A running `loupe serve`, stopped when released.
  final class RunningServer: @unchecked Sendable {
    let process = Process()
    let directory: String
    var port = 0
    var syslogPort = 0

    init(arguments: [String] = []) throws {
      directory = NSTemporaryDirectory() + "loupe-serve-" + UUID().uuidString
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      process.executableURL = LiveServerTests.executable
      process.arguments =
        ["serve", "--port", "0", "--syslog-port", "0", "--database", directory + "/loupe.sqlite"]
        + arguments
      process.currentDirectoryURL = URL(fileURLWithPath: directory)
      let output = Pipe()
      process.standardOutput = output
      process.standardError = FileHandle.nullDevice
      try process.run()
      var line = Data()
      let deadline = Date().addingTimeInterval(30)
      while Date() < deadline {
        let byte = output.fileHandleForReading.readData(ofLength: 1)
        if byte.isEmpty || byte == Data("\n".utf8) { break }
        line += byte
      }
      let text = String(decoding: line, as: UTF8.self)
      let numbers = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
      // "listening on http://127.0.0.1:PORT (… syslog on port SYSLOG …)"
      guard text.contains("listening on"), numbers.count >= 6 else {
        process.terminate()
        throw CocoaError(
          .fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "no start: \(text)"])
      }
      port = numbers[4]
      syslogPort = numbers.last ?? 0
    }

    var base: String { "http://127.0.0.1:\(port)" }

    func get(_ path: String) async throws -> (Int, Data) {
      let (data, response) = try await URLSession.shared.data(from: URL(string: base + path)!)
      return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    deinit {
      if process.isRunning {
        process.interrupt()
        process.waitUntilExit()
      }
      try? FileManager.default.removeItem(atPath: directory)
    }
  }

  func run(_ tool: String, _ arguments: [String]) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool] + arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  @Test func loggerSendsSyslogOverUDPAndTCP() async throws {
    let server = try RunningServer()
    for (index, mode) in ["-d", "-T", "-d", "-T"].enumerated() {
      let format = index < 2 ? "--rfc5424" : "--rfc3164"
      let (status, output) = try run(
        "logger",
        [
          "-n", "127.0.0.1", "-P", String(server.syslogPort), mode, format, "-t", "payments",
          "message \(index) over \(mode == "-d" ? "udp" : "tcp") \(format)",
        ])
      #expect(status == 0, "\(output)")
    }
    var lines = 0
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline, lines < 4 {
      try await Task.sleep(for: .milliseconds(200))
      let (status, data) = try await server.get("/api/v1/streams/syslog")
      if status == 200,
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
      {
        lines = object["lines"] as? Int ?? 0
      }
    }
    #expect(lines == 4)
    // The stream's analysis reads the messages as syslog.
    var format: String?
    let analysed = Date().addingTimeInterval(60)
    while Date() < analysed, format == nil {
      try await Task.sleep(for: .milliseconds(200))
      let (_, data) = try await server.get("/api/v1/streams/syslog")
      let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
      format = (object?["analysis"] as? [String: Any])?["format"] as? String
    }
    #expect(format == "syslog")
    let (_, metrics) = try await server.get("/metrics")
    #expect(
      String(decoding: metrics, as: UTF8.self).contains(
        "loupe_ingested_lines_total{stream=\"syslog\"} 4"))
  }

  @Test func aBrowserUploadsAFileThroughThePageAndSeesTheFindings() async throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver") else {
      Issue.record("chromedriver is missing: .ci/run installs chromium-driver")
      return
    }
    let server = try RunningServer()
    let artifacts = TestLogs.root.appendingPathComponent(".ci/artifacts")
    try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
    let screenshot = artifacts.appendingPathComponent("serve-analysis.png").path
    let (status, output) = try run(
      "python3",
      [
        TestLogs.root.appendingPathComponent("Tests/Support/browser_upload.py").path, server.base,
        TestLogs.sample, screenshot,
      ])
    #expect(status == 0, "\(output)")
    let json = output.split(separator: "\n").last.map(String.init) ?? ""
    let seen = try #require(
      try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    #expect((seen["url"] as? String)?.contains("/analyses/") == true)
    #expect(seen["title"] as? String == "app.log · Loupe")
    #expect((seen["rows"] as? Int ?? 0) > 0)
    let messages = seen["messages"] as? [String] ?? []
    #expect(messages.contains { $0.contains("OutOfMemoryError") })
    let critical = seen["critical_filter"] as? [String] ?? []
    #expect(!critical.isEmpty && critical.allSatisfy { $0 == "critical" })
    #expect((seen["charts"] as? Int ?? 0) >= 2)
    #expect((seen["errors"] as? [String]) == [])
    #expect(FileManager.default.fileExists(atPath: screenshot))
  }
}

/// `loupe analyze --store` records runs where `loupe serve` reads them.
@Suite struct StoreCommandTests {
  @Test(arguments: StoreFixture.kinds) func analyzeRecordsTheRunAndServeShowsIt(kind: String)
    async throws
  {
    let (store, location, discard) = try await StoreFixture.make(kind)
    let output = NSTemporaryDirectory() + "loupe-store-out-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: output) }
    let process = Process()
    process.executableURL = LiveServerTests.executable
    process.arguments = ["analyze", TestLogs.sample, "--store", location, "--output", output, "-q"]
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let analyses = try await store.analyses(owner: "cli", limit: 10, offset: 0)
    #expect(analyses.count == 1)
    #expect(analyses.first?.records == 2400)
    let id = try #require(analyses.first?.id)
    #expect(
      try await store.findings(analysis: id, query: FindingQuery()).total
        == analyses.first?.anomalies)
    let bad = Process()
    bad.executableURL = LiveServerTests.executable
    bad.arguments = [
      "analyze", TestLogs.sample, "--store", "postgres://nobody@127.0.0.1:1/none", "-q",
    ]
    bad.standardError = FileHandle.nullDevice
    try bad.run()
    bad.waitUntilExit()
    #expect(bad.terminationStatus == 1)
    await discard()
  }
}
