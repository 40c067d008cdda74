import Foundation
import Testing

/// `loupe watch`: findings as lines arrive, across rotation and truncation, and resuming
/// from saved state.
@Suite struct WatchCommandTests {
  func line(_ index: Int, _ text: String? = nil) -> String {
    let time = String(format: "2024-03-01 10:%02d:%02d", index / 60 % 60, index % 60)
    return "\(time) " + (text ?? "INFO [Gateway] request \(index) served in \(index % 40 + 10) ms")
  }

  func append(_ lines: [String], to path: String) throws {
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data((lines.joined(separator: "\n") + "\n").utf8))
    try handle.close()
  }

  /// A running `loupe watch` with its output in files.
  final class Watch: @unchecked Sendable {
    let process = Process()
    let output: String
    let errors: String

    init(_ arguments: [String], in directory: String) throws {
      output = directory + "/watch-\(UUID().uuidString).out"
      errors = directory + "/watch-\(UUID().uuidString).err"
      _ = FileManager.default.createFile(atPath: output, contents: nil)
      _ = FileManager.default.createFile(atPath: errors, contents: nil)
      process.executableURL = CommandLineTests.executable
      process.arguments = ["watch"] + arguments
      process.currentDirectoryURL = URL(fileURLWithPath: directory)
      process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
      process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
      try process.run()
    }

    var stdout: String { (try? String(contentsOfFile: output, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: errors, encoding: .utf8)) ?? "" }

    /// Waits until standard output (or error) holds `text`.
    /// (Checked once more after the deadline: a busy test run may wake this task late.)
    func wait(for text: String, inErrors: Bool = false, seconds: Double = 60) async -> Bool {
      let deadline = Date().addingTimeInterval(seconds)
      while true {
        if (inErrors ? stderr : stdout).contains(text) { return true }
        if Date() >= deadline { return false }
        try? await Task.sleep(for: .milliseconds(100))
      }
    }

    func stop() -> Int32 {
      process.interrupt()
      process.waitUntilExit()
      return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
  }

  @Test func followsAcrossRotationAndTruncationAndResumes() async throws {
    let directory = try CommandLineTests().temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let log = directory + "/app.log"
    try (((0..<300).map { line($0) }).joined(separator: "\n") + "\n").write(
      toFile: log, atomically: true, encoding: .utf8)
    let watch = try Watch([log, "--interval", "0.2", "--state", "state.json"], in: directory)
    #expect(await watch.wait(for: "watching 1 file", inErrors: true))
    // Appended lines are analysed; the old ones (watching starts at the end) are not reported.
    try append(
      (300..<400).map { line($0) } + [
        line(400, "FATAL [Kernel] out of memory: killed process 4242")
      ],
      to: log)
    #expect(await watch.wait(for: "out of memory: killed process 4242"))
    #expect(watch.stdout.contains("app.log:101  critical"))
    // Rotation: the path now names a new file.
    try FileManager.default.moveItem(atPath: log, toPath: log + ".1")
    try ([line(401, "ERROR [Db] connection refused by db-7")] + (402..<440).map { line($0) })
      .joined(separator: "\n").appending("\n").write(
        toFile: log, atomically: false, encoding: .utf8)
    #expect(await watch.wait(for: "rotated", inErrors: true))
    #expect(await watch.wait(for: "connection refused by db-7"))
    // Truncation: read again from the top.
    try "".write(toFile: log, atomically: false, encoding: .utf8)
    try await Task.sleep(for: .milliseconds(500))
    try append([line(441, "CRITICAL [Disk] No space left on device /var")], to: log)
    #expect(await watch.wait(for: "truncated", inErrors: true))
    #expect(await watch.wait(for: "No space left on device"))
    #expect(watch.stop() == 0)
    #expect(watch.stderr.contains("state saved to state.json"))
    let reported = watch.stdout.split(separator: "\n").count

    // Resuming: nothing is reported twice; lines added while stopped are.
    try append([line(442, "FATAL [Kernel] kernel panic: attempted to kill init")], to: log)
    let again = try Watch([log, "--interval", "0.2", "--state", "state.json"], in: directory)
    #expect(await again.wait(for: "kernel panic"))
    #expect(!again.stdout.contains("No space left"))
    #expect(again.stop() == 0)
    #expect(reported >= 3)
  }

  @Test func aDelimitedFileWatchedFromItsEndKeepsItsColumns() async throws {
    let directory = try CommandLineTests().temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    func request(_ index: Int, agent: String = "Mozilla/5.0") -> String {
      String(
        format: "2024-01-15 08:%02d:%02d GET /products 443 10.0.1.%d %@ 200 %d", index / 60 % 60,
        index % 60, index % 50, agent, 20 + index % 17)
    }
    let log = directory + "/u_ex240115.log"
    let header = [
      "#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0",
      "#Fields: date time cs-method cs-uri-stem s-port c-ip cs(User-Agent) sc-status time-taken",
    ]
    try ((header + (0..<150).map { request($0) }).joined(separator: "\n") + "\n").write(
      toFile: log, atomically: true, encoding: .utf8)
    // Watching starts at the end: the directives are read from the top of the file, so the
    // new lines are requests with their fields (the scanner agent is one), not plain text.
    let watch = try Watch([log, "--interval", "0.2", "--json"], in: directory)
    #expect(await watch.wait(for: "watching 1 file", inErrors: true))
    try append((150..<199).map { request($0) } + [request(199, agent: "sqlmap/1.7")], to: log)
    #expect(await watch.wait(for: "sqlmap"))
    #expect(watch.stop() == 0)
    let finding = watch.stdout.split(separator: "\n").first { $0.contains("sqlmap") }
    #expect(finding?.contains("scanner user agent") == true)
    // Lines count from where watching started.
    #expect(finding?.contains(#""line":50"#) == true)
  }

  @Test func aCorruptStateFileIsRefused() throws {
    let directory = try CommandLineTests().temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try "not json".write(toFile: directory + "/state.json", atomically: true, encoding: .utf8)
    let run = try CommandLineTests().loupe(
      ["watch", directory + "/app.log", "--state", directory + "/state.json"])
    #expect(run.status == 64)
    #expect(run.stderr.contains("not a watch state file"))
  }
}
