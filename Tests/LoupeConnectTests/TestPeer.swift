import Foundation

/// A real server started for a test from a script in `Tests/Support` (an SMTP server on
/// aiosmtpd, an HTTP server speaking the webhook and LLM wire protocols): it prints
/// `PORT n` when it listens and stops when its standard input closes.
final class TestPeer: @unchecked Sendable {
  let process = Process()
  let port: Int
  private let input = Pipe()

  /// Starts `script` with `arguments`; waits up to 20 s for it to listen.
  init(script: String, arguments: [String]) throws {
    let output = Pipe()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", Self.supportPath(script)] + arguments
    process.standardOutput = output
    process.standardInput = input
    try process.run()
    var line = Data()
    let deadline = Date().addingTimeInterval(20)
    while Date() < deadline {
      let byte = output.fileHandleForReading.readData(ofLength: 1)
      if byte.isEmpty || byte == Data("\n".utf8) { break }
      line += byte
    }
    let text = String(decoding: line, as: UTF8.self)
    guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
      process.terminate()
      throw PeerError(description: "\(script) did not start: \(text)")
    }
    self.port = port
  }

  /// Stops the server.
  func stop() {
    try? input.fileHandleForWriting.close()
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
  }

  deinit { stop() }

  static func supportPath(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Support").appendingPathComponent(name).path
  }

  struct PeerError: Error, CustomStringConvertible { var description: String }
}

/// A scratch directory removed when the test ends.
final class ScratchDirectory: @unchecked Sendable {
  let path: String

  init() throws {
    path =
      FileManager.default.temporaryDirectory.appendingPathComponent(
        "loupe-connect-\(UUID().uuidString)"
      ).path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A self-signed certificate for `localhost` and 127.0.0.1, made with openssl.
struct TestCertificate {
  let certificate: String
  let key: String

  init(in directory: ScratchDirectory) throws {
    certificate = directory.file("cert.pem")
    key = directory.file("key.pem")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out",
      certificate, "-days", "2", "-subj", "/CN=localhost", "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
    ]
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw TestPeer.PeerError(description: "openssl could not make a test certificate")
    }
  }
}

/// Waits up to `seconds` for a file to appear and returns its JSON object.
func waitForJSON(_ path: String, seconds: Double = 10) async throws -> [String: Any] {
  let deadline = Date().addingTimeInterval(seconds)
  while true {
    if let data = FileManager.default.contents(atPath: path),
      let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    {
      return object
    }
    // Checked once more after the deadline: a busy test run may wake this task late.
    if Date() >= deadline { throw TestPeer.PeerError(description: "\(path) did not appear") }
    try await Task.sleep(for: .milliseconds(50))
  }
}
