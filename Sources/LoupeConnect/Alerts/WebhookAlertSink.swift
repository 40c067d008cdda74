import Foundation
import LoupeCore

/// Posts alerts to a webhook: the alert as JSON, or a Slack-compatible message.
public struct WebhookAlertSink: AlertSink {
  /// The sink's name.
  public var name: String
  /// The hourly limit.
  public var maxPerHour: Int?
  /// The payload format.
  public var format: AlertSinkConfig.PayloadFormat
  /// The sender.
  public var sender: WebhookSender

  /// Creates a webhook sink.
  public init(
    name: String, format: AlertSinkConfig.PayloadFormat, sender: WebhookSender, maxPerHour: Int?
  ) {
    self.name = name
    self.format = format
    self.sender = sender
    self.maxPerHour = maxPerHour
  }

  /// Posts the alert.
  public func deliver(_ alert: Alert) async throws {
    try await sender.post(try Self.payload(alert, format: format))
  }

  /// The body for `alert`: `{"source": "loupe", "text": …, "alert": {…}}` for JSON, or
  /// Slack's `text` and `blocks` (header, evidence in a code block, context).
  public static func payload(_ alert: Alert, format: AlertSinkConfig.PayloadFormat) throws
    -> Data
  {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    switch format {
    case .json:
      struct Envelope: Encodable {
        var source = "loupe"
        var version = Loupe.version
        var text: String
        var alert: Alert
      }
      return try encoder.encode(Envelope(text: alert.title, alert: alert))
    case .slack:
      func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(
          of: "<", with: "&lt;"
        )
        .replacingOccurrences(of: ">", with: "&gt;")
      }
      var evidence = alert.evidence.prefix(5).map {
        "line \($0.line) \($0.severity.rawValue) \(String(format: "%.2f", $0.score)): \($0.message.prefix(200))"
      }.joined(separator: "\n")
      if evidence.isEmpty {
        evidence = alert.sessionEvidence.map { "\($0.session): \($0.reason)" }.joined(
          separator: "\n")
      }
      let summary =
        "*\(alert.findings)* findings (\(AlertText.severityList(alert.severities))) of \(alert.records) records in `\(escape(alert.input))`"
      let blocks: [[String: Any]] = [
        [
          "type": "header",
          "text": ["type": "plain_text", "text": String(alert.title.prefix(150))],
        ],
        ["type": "section", "text": ["type": "mrkdwn", "text": summary]],
        ["type": "section", "text": ["type": "mrkdwn", "text": "```" + escape(evidence) + "```"]],
        [
          "type": "context",
          "elements": [
            ["type": "mrkdwn", "text": "rule `\(escape(alert.rule))` · Loupe \(Loupe.version)"]
          ],
        ],
      ]
      let object: [String: Any] = [
        "text": escape(alert.title),
        "blocks": evidence.isEmpty ? [blocks[0], blocks[1], blocks[3]] : blocks,
      ]
      return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
  }
}
