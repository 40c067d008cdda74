import Foundation
import LoupeConnect
import LoupeCore
import Testing

/// Webhook delivery against a real HTTP server on loopback.
@Suite(.serialized) struct WebhookTests {
  static let alert = Alert(
    rule: "critical-findings", key: "critical-findings:app.log", severity: .critical,
    title: "[critical] critical-findings: 2 findings in app.log", input: "app.log",
    raisedAt: "2026-11-21T12:00:00.000Z", group: nil, findings: 2,
    severities: ["critical": 1, "high": 1], records: 2400, anomalyRate: 0.01,
    anomalousSessions: 0,
    evidence: [
      .init(
        line: 1406, severity: .critical, score: 1, detectors: ["rules"],
        reason: "rules: mentions \"out of memory\"", message: "OutOfMemoryError <b>heap</b> & more",
        templateId: "T00000001")
    ], sessionEvidence: [])

  func retry(_ attempts: Int) -> RetryPolicy {
    var policy = RetryPolicy()
    policy.maxAttempts = attempts
    policy.initialDelay = 0.05
    policy.maxDelay = 2
    return policy
  }

  func records(_ directory: ScratchDirectory, kind: String = "webhook") throws -> [[String: Any]] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path)
      .filter { $0.hasPrefix(kind + "-") && $0.hasSuffix(".json") }
      .sorted {
        Int($0.dropFirst(kind.count + 1).dropLast(5)) ?? 0 < Int(
          $1.dropFirst(kind.count + 1).dropLast(5)) ?? 0
      }
      .compactMap {
        try JSONSerialization.jsonObject(
          with: Data(contentsOf: URL(fileURLWithPath: directory.file($0))))
          as? [String: Any]
      }
  }

  @Test func postsTheAlertAsJSONWithHeadersFromTheEnvironment() async throws {
    let scratch = try ScratchDirectory()
    let server = try TestPeer(script: "http_peer.py", arguments: ["--out", scratch.path])
    defer { server.stop() }
    var config = AlertConfig()
    var sink = AlertSinkConfig(name: "hook", kind: .webhook)
    sink.url = "http://127.0.0.1:\(server.port)/webhook"
    sink.headersEnvironment = ["X-Token": "HOOK_TOKEN"]
    config.sinks = [sink]
    let sinks = try AlertSinkFactory.sinks(
      for: config, smtp: nil, outputDirectory: scratch.path, environment: ["HOOK_TOKEN": "t0k"])
    try await sinks[0].deliver(Self.alert)
    let received = try records(scratch)
    #expect(received.count == 1)
    let headers = try #require(received.first?["headers"] as? [String: String])
    #expect(headers["X-Token"] == "t0k")
    #expect(headers["Content-Type"] == "application/json")
    let body = try #require(received.first?["body"] as? [String: Any])
    #expect(body["source"] as? String == "loupe")
    let alert = try #require(body["alert"] as? [String: Any])
    #expect(alert["rule"] as? String == "critical-findings")
    #expect(alert["anomaly_rate"] as? Double == 0.01)
    let evidence = try #require(alert["evidence"] as? [[String: Any]])
    #expect(evidence.first?["line"] as? Int == 1406)
  }

  @Test func aMissingHeaderVariableIsRefusedUpFront() throws {
    var config = AlertConfig()
    var sink = AlertSinkConfig(name: "hook", kind: .webhook)
    sink.url = "http://127.0.0.1:9/webhook"
    sink.headersEnvironment = ["Authorization": "NOT_SET_ANYWHERE"]
    config.sinks = [sink]
    #expect(throws: AlertSinkFactory.Problem.self) {
      _ = try AlertSinkFactory.sinks(
        for: config, smtp: nil, outputDirectory: "/tmp", environment: [:])
    }
  }

  @Test func slackPayloadHasTextAndBlocksWithEscapedText() throws {
    let data = try WebhookAlertSink.payload(Self.alert, format: .slack)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect((object["text"] as? String)?.contains("critical-findings") == true)
    let blocks = try #require(object["blocks"] as? [[String: Any]])
    #expect(blocks.first?["type"] as? String == "header")
    let evidence = try #require(
      (blocks[2]["text"] as? [String: Any])?["text"] as? String)
    #expect(evidence.contains("&lt;b&gt;heap&lt;/b&gt; &amp; more"))
    #expect(!evidence.contains("<b>"))
  }

  @Test func retriesServerErrorsUntilTheyPass() async throws {
    let scratch = try ScratchDirectory()
    let server = try TestPeer(script: "http_peer.py", arguments: ["--out", scratch.path])
    defer { server.stop() }
    let sender = WebhookSender(
      url: "http://127.0.0.1:\(server.port)/webhook/flaky", headers: [], timeout: 5,
      retry: retry(4))
    let attempts = try await sender.post(Data("{}".utf8))
    #expect(attempts == 3)
    #expect(try records(scratch).count == 3)
  }

  @Test func honoursRetryAfterOn429() async throws {
    let scratch = try ScratchDirectory()
    let server = try TestPeer(script: "http_peer.py", arguments: ["--out", scratch.path])
    defer { server.stop() }
    let sender = WebhookSender(
      url: "http://127.0.0.1:\(server.port)/webhook/retry-after", headers: [], timeout: 5,
      retry: retry(3))
    #expect(try await sender.post(Data("{}".utf8)) == 2)
  }

  @Test func givesUpAfterMaxAttemptsWithTheLastReason() async throws {
    let scratch = try ScratchDirectory()
    let server = try TestPeer(script: "http_peer.py", arguments: ["--out", scratch.path])
    defer { server.stop() }
    let sender = WebhookSender(
      url: "http://127.0.0.1:\(server.port)/webhook/always-500", headers: [], timeout: 5,
      retry: retry(3))
    let error = await #expect(throws: WebhookSender.Failure.self) {
      try await sender.post(Data("{}".utf8))
    }
    #expect(error?.description.contains("answered 500") == true)
    #expect(error?.description.contains("after 3 attempts") == true)
    #expect(try records(scratch).count == 3)
  }

  @Test func anUnreachableHookFailsWithoutHanging() async throws {
    let port = try SilentListener().port
    let sender = WebhookSender(
      url: "http://127.0.0.1:\(port)/webhook", headers: [], timeout: 2, retry: retry(2))
    await #expect(throws: WebhookSender.Failure.self) {
      try await sender.post(Data("{}".utf8))
    }
  }
}
