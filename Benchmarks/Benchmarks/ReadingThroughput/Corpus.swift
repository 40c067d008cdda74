import Foundation
import LoupeCore

/// Deterministic 1,000,000-line corpora for the reading benchmarks, written once to a
/// temporary directory.
enum Corpus: String, CaseIterable, Sendable {
  case syslog, access, json

  static let lineCount = 1_000_000

  /// The format name `--format` would use.
  var formatName: String {
    switch self {
    case .syslog: "syslog"
    case .access: "access"
    case .json: "json"
    }
  }

  /// The corpus file, generated on first use.
  var path: String {
    let path = NSTemporaryDirectory() + "loupe-bench-\(rawValue)-\(Self.lineCount).log"
    if !FileManager.default.fileExists(atPath: path) {
      FileManager.default.createFile(atPath: path, contents: Data(generate()))
    }
    return path
  }

  func generate() -> [UInt8] {
    var random = SeededRandom(seed: 2024)
    var output: [UInt8] = []
    output.reserveCapacity(Self.lineCount * 160)
    let hosts = ["web01", "web02", "db01", "cache03", "auth02"]
    let apps = ["sshd", "nginx", "postgres", "cron", "kernel", "systemd"]
    let paths = [
      "/", "/api/orders", "/api/users/42", "/static/app.js", "/login", "/images/logo.png",
    ]
    let agents = [
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
      "curl/8.4.0", "Go-http-client/2.0",
    ]
    let months = ["Jan", "Feb", "Mar"]
    for index in 0..<Self.lineCount {
      let second = index % 60
      let minute = index / 60 % 60
      let hour = index / 3600 % 24
      let clock = String(format: "%02d:%02d:%02d", hour, minute, second)
      let line: String
      switch self {
      case .syslog:
        let app = apps[random.nextIndex(apps.count)]
        line =
          "\(months[index / 400_000]) \(String(format: "%2d", 1 + index / 20_000 % 28)) \(clock) \(hosts[random.nextIndex(hosts.count)]) \(app)[\(1000 + random.nextIndex(9000))]: session \(random.nextIndex(100_000)) opened for user u\(random.nextIndex(500)) from 10.0.\(random.nextIndex(256)).\(random.nextIndex(256)) port \(1024 + random.nextIndex(60000))"
      case .access:
        let status = [200, 200, 200, 304, 404, 500][random.nextIndex(6)]
        line =
          "10.\(random.nextIndex(256)).\(random.nextIndex(256)).\(random.nextIndex(256)) - - [15/Jan/2024:\(clock) +0000] \"GET \(paths[random.nextIndex(paths.count)])?q=\(random.nextIndex(1000)) HTTP/1.1\" \(status) \(random.nextIndex(50_000)) \"https://example.com/\" \"\(agents[random.nextIndex(agents.count)])\" 0.\(String(format: "%03d", random.nextIndex(1000)))"
      case .json:
        let level = ["info", "info", "info", "warn", "error"][random.nextIndex(5)]
        line =
          "{\"timestamp\":\"2024-01-15T\(clock).\(String(format: "%03d", random.nextIndex(1000)))Z\",\"level\":\"\(level)\",\"service\":\"\(apps[random.nextIndex(apps.count)])\",\"message\":\"request \(random.nextIndex(100_000)) handled in \(random.nextIndex(900)) ms\",\"http\":{\"status\":\(200 + random.nextIndex(4) * 100),\"path\":\"\(paths[random.nextIndex(paths.count)])\"},\"user\":\"u\(random.nextIndex(500))\"}"
      }
      output.append(contentsOf: line.utf8)
      output.append(0x0A)
    }
    return output
  }
}
