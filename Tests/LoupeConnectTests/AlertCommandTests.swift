import Foundation
import Testing

/// `loupe analyze` with alerts: e-mail to a real SMTP server (STARTTLS and AUTH), a Slack
/// webhook to a real HTTP server, the alert files, the summary, and the cool-down that keeps
/// one incident to one alert.
@Suite(.serialized) struct AlertCommandTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let sample = root.appendingPathComponent("Samples/app.log").path

  static var executable: URL {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    while directory.path != "/" {
      let candidate = directory.appendingPathComponent("loupe")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      directory = directory.deletingLastPathComponent()
    }
    return root.appendingPathComponent(".build/debug/loupe")
  }

  struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  func loupe(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
    let process = Process()
    process.executableURL = Self.executable
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["LOUPE_SMTP_PASSWORD"] = nil
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let output = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
    let errors = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
    defer {
      try? FileManager.default.removeItem(at: output)
      try? FileManager.default.removeItem(at: errors)
    }
    process.standardOutput = try FileHandle(forWritingTo: output)
    process.standardError = try FileHandle(forWritingTo: errors)
    try process.run()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus,
      stdout: String(decoding: try Data(contentsOf: output), as: UTF8.self),
      stderr: String(decoding: try Data(contentsOf: errors), as: UTF8.self))
  }

  func summary(_ directory: String) throws -> [String: Any] {
    let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/app_summary.json"))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  @Test func emailWebhookAndFilesReceiveOneAlertPerIncident() async throws {
    let scratch = try ScratchDirectory()
    let certificate = try TestCertificate(in: scratch)
    let mails = scratch.file("mails")
    let hooks = scratch.file("hooks")
    try FileManager.default.createDirectory(atPath: mails, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
    let smtp = try TestPeer(
      script: "smtp_sink.py",
      arguments: [
        "--mode", "starttls", "--cert", certificate.certificate, "--key", certificate.key,
        "--user", "loupe-alerts", "--password", "correct horse", "--out", mails,
      ])
    defer { smtp.stop() }
    let http = try TestPeer(script: "http_peer.py", arguments: ["--out", hooks])
    defer { http.stop() }
    let config = scratch.file("loupe.yaml")
    try """
    smtp:
      host: localhost
      port: \(smtp.port)
      security: starttls
      username: loupe-alerts
      from: loupe@example.com
      ca_file: \(certificate.certificate)
      timeout: 10
    alerts:
      sinks:
        - {name: files, type: file}
        - {name: slack, type: webhook, format: slack, url: "http://127.0.0.1:\(http.port)/webhook", retry_delay: 0.05}
      rules:
        - name: security
          min_severity: medium
          rules: [security]
          cooldown: 1h
          sinks: [files, slack]
        - name: nothing-this-big
          min_findings: 100000
    """.write(toFile: config, atomically: true, encoding: .utf8)
    let output = scratch.file("out")
    let arguments = [
      "analyze", Self.sample, "--config", config, "--output", output, "--email",
      "oncall@example.com",
    ]
    let run = try loupe(arguments, environment: ["LOUPE_SMTP_PASSWORD": "correct horse"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("alert"))

    // The mail: authenticated over TLS, to the --email address, about the security findings.
    let mail = try await waitForJSON(mails + "/1.json")
    #expect(mail["tls"] as? Bool == true)
    #expect(mail["login"] as? String == "loupe-alerts")
    #expect(mail["rcpt_tos"] as? [String] == ["oncall@example.com"])
    let headers = try #require(mail["headers"] as? [String: String])
    #expect(headers["Subject"]?.contains("security") == true)
    #expect(headers["Subject"]?.contains("app.log") == true)
    let text = try #require(mail["text"] as? String)
    #expect(text.contains("Authentication failed for user admin"))
    #expect(text.contains("Top findings:"))
    #expect((mail["html"] as? String)?.contains("<table") == true)

    // The Slack hook and the files.
    let hook = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: hooks + "/webhook-1.json")))
        as? [String: Any])
    let body = try #require(hook["body"] as? [String: Any])
    #expect((body["text"] as? String)?.contains("security") == true)
    #expect((body["blocks"] as? [Any])?.isEmpty == false)
    let alertsText = try String(contentsOfFile: output + "/alerts.txt", encoding: .utf8)
    #expect(alertsText.contains("Rule: security"))
    let jsonl = try String(contentsOfFile: output + "/alerts.jsonl", encoding: .utf8)
    #expect(jsonl.split(separator: "\n").count == 1)

    // The summary records each delivery.
    let alerts = try #require(try summary(output)["alerts"] as? [[String: Any]])
    #expect(alerts.count == 1)
    let deliveries = try #require(alerts.first?["deliveries"] as? [[String: Any]])
    #expect(Set(deliveries.compactMap { $0["sink"] as? String }) == ["files", "slack", "email"])
    #expect(deliveries.allSatisfy { $0["status"] as? String == "sent" })

    // The report shows the alert and its deliveries.
    let report = try String(contentsOfFile: output + "/app_report.html", encoding: .utf8)
    #expect(report.contains("<section id=\"alerts\"><h2>Alerts (1)</h2>"))
    #expect(report.contains("slack: sent"))

    // The same incident again within the cool-down: held back everywhere, nothing sent.
    let second = try loupe(arguments, environment: ["LOUPE_SMTP_PASSWORD": "correct horse"])
    #expect(second.status == 0, "\(second.stderr)")
    let again = try #require(try summary(output)["alerts"] as? [[String: Any]])
    let held = try #require(again.first?["deliveries"] as? [[String: Any]])
    #expect(held.allSatisfy { $0["status"] as? String == "cooldown" })
    try await Task.sleep(for: .milliseconds(300))
    #expect(!FileManager.default.fileExists(atPath: mails + "/2.json"))
    #expect(!FileManager.default.fileExists(atPath: hooks + "/webhook-2.json"))
  }

  @Test func aFailingSinkIsAWarningNotAFailedRun() throws {
    let scratch = try ScratchDirectory()
    let port = try SilentListener().port  // closed: nothing listens there
    let config = scratch.file("loupe.yaml")
    try """
    alerts:
      sinks:
        - {name: hook, type: webhook, url: "http://127.0.0.1:\(port)/hook", max_attempts: 2, retry_delay: 0.05, timeout: 2}
        - {name: console, type: console}
      rules:
        - {name: any-high, min_severity: high}
    """.write(toFile: config, atomically: true, encoding: .utf8)
    let output = scratch.file("out")
    let run = try loupe(["analyze", Self.sample, "--config", config, "--output", output])
    #expect(run.status == 0)
    #expect(run.stderr.contains("loupe: ALERT [critical] any-high"))
    #expect(run.stderr.contains("app.log: alert 'any-high' to hook failed"))
    let alerts = try #require(try summary(output)["alerts"] as? [[String: Any]])
    let statuses = (alerts.first?["deliveries"] as? [[String: Any]])?.compactMap {
      $0["status"] as? String
    }
    #expect(statuses == ["failed", "sent"])
  }

  @Test func emailWithoutSMTPSettingsOrPasswordIsBadUsage() throws {
    let scratch = try ScratchDirectory()
    let none = try loupe([
      "analyze", Self.sample, "--output", scratch.file("out"), "--email", "ops@example.com",
    ])
    #expect(none.status == 64)
    #expect(none.stderr.contains("--email needs an smtp section"))
    let config = scratch.file("loupe.yaml")
    try """
    smtp: {host: localhost, port: 2525, username: me, from: loupe@example.com}
    """.write(toFile: config, atomically: true, encoding: .utf8)
    let missing = try loupe([
      "analyze", Self.sample, "--config", config, "--output", scratch.file("out"), "--email",
      "ops@example.com",
    ])
    #expect(missing.status == 64)
    #expect(missing.stderr.contains("LOUPE_SMTP_PASSWORD"))
    try "smtp: {host: localhost, from: a@b.c, password: hunter2}".write(
      toFile: config, atomically: true, encoding: .utf8)
    let inline = try loupe(["analyze", Self.sample, "--config", config])
    #expect(inline.status == 64)
    #expect(inline.stderr.contains("smtp.password is not read from the config"))
    let badAddress = try loupe(["analyze", Self.sample, "--email", "not an address"])
    #expect(badAddress.status == 64)
  }

  @Test func llmFlagReviewsThroughTheConfiguredProvider() async throws {
    let scratch = try ScratchDirectory()
    let http = try TestPeer(script: "http_peer.py", arguments: ["--out", scratch.path])
    defer { http.stop() }
    let config = scratch.file("loupe.yaml")
    try """
    llm:
      provider: openai
      model: good
      endpoint: http://127.0.0.1:\(http.port)/v1
      api_key_env: LOUPE_TEST_KEY
      cache_file: \(scratch.file("cache.json"))
    workflow:
      retry: {max_attempts: 2, initial_delay: 0.05, max_delay: 0.1, backoff_factor: 2, jitter: false}
      steps:
        prompt:
          custom_template: "Judge this event. {template} {log} {context}"
    """.write(toFile: config, atomically: true, encoding: .utf8)
    let output = scratch.file("out")
    let off = try loupe(["analyze", Self.sample, "--config", config, "--output", output])
    #expect(off.status == 0)
    #expect(try summary(output)["llm"] == nil)
    let run = try loupe(
      ["analyze", Self.sample, "--config", config, "--output", output, "--llm"],
      environment: ["LOUPE_TEST_KEY": "test-key"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("llm review (openai good)"))
    let review = try #require(try summary(output)["llm"] as? [String: Any])
    #expect(review["failures"] as? Int == 0)
    #expect((review["calls"] as? Int ?? 0) > 0)
    #expect(review["calls"] as? Int == review["templates"] as? Int)
    let prompt = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: scratch.file("llm-1.json")))) as? [String: Any])
    #expect((prompt["raw"] as? String)?.contains("Judge this event.") == true)
    let findings = try String(contentsOfFile: output + "/app_anomalies.csv", encoding: .utf8)
    #expect(findings.contains("llm: anomaly"))
    let report = try String(contentsOfFile: output + "/app_report.html", encoding: .utf8)
    #expect(report.contains("<section id=\"llm\"><h2>LLM review</h2><p>openai · good:"))
  }
}
