import LoupeCore

/// Sends alerts as e-mail through ``SMTPClient``: the title as subject, the plain text and
/// HTML renderings of ``AlertText`` as the two parts.
public struct EmailAlertSink: AlertSink {
  /// The sink's name.
  public var name: String
  /// The hourly limit.
  public var maxPerHour: Int?
  /// The recipients.
  public var recipients: [String]
  /// The client.
  public var client: SMTPClient

  /// Creates an e-mail sink.
  public init(name: String, recipients: [String], client: SMTPClient, maxPerHour: Int?) {
    self.name = name
    self.recipients = recipients
    self.client = client
    self.maxPerHour = maxPerHour
  }

  /// Sends the alert.
  public func deliver(_ alert: Alert) async throws {
    let message = MailMessage(
      from: client.settings.from, to: recipients, subject: "Loupe " + alert.title,
      text: AlertText.plain(alert), html: AlertText.html(alert))
    try await client.send(message)
  }
}
