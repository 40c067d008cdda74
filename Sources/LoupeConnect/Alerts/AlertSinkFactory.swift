import Foundation
import LoupeCore

/// Builds the configured sinks: console and file in the core, e-mail and webhooks here.
public enum AlertSinkFactory {
  /// A sink that cannot be built (no password, no recipients), in one sentence.
  public struct Problem: Error, CustomStringConvertible {
    /// The sentence.
    public var description: String
  }

  /// The sinks for `config`.
  /// - Parameters:
  ///   - config: the alerts section.
  ///   - smtp: the SMTP settings, for e-mail sinks.
  ///   - outputDirectory: where file sinks write by default.
  ///   - environment: where credentials and header values come from.
  /// - Throws: ``Problem`` when a sink cannot work as configured.
  public static func sinks(
    for config: AlertConfig, smtp: SMTPSettings?, outputDirectory: String,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> [any AlertSink] {
    try config.effectiveSinks.map { sink -> any AlertSink in
      switch sink.kind {
      case .console:
        return ConsoleAlertSink(name: sink.name, maxPerHour: sink.maxPerHour)
      case .file:
        return FileAlertSink(
          name: sink.name, directory: sink.directory ?? outputDirectory,
          maxPerHour: sink.maxPerHour)
      case .email:
        guard let smtp else {
          throw Problem(
            description: "sink '\(sink.name)' sends e-mail but there is no smtp section")
        }
        let recipients = sink.to ?? smtp.to
        guard !recipients.isEmpty else {
          throw Problem(description: "sink '\(sink.name)' has no recipients (to, or smtp.to)")
        }
        let password: String?
        do { password = try SMTPCredentials.password(for: smtp, environment: environment) } catch {
          throw Problem(description: "\(error)")
        }
        return EmailAlertSink(
          name: sink.name, recipients: recipients,
          client: SMTPClient(settings: smtp, password: password), maxPerHour: sink.maxPerHour)
      case .webhook:
        var headers: [(String, String)] = []
        for (header, variable) in sink.headersEnvironment.sorted(by: { $0.key < $1.key }) {
          guard let value = environment[variable], !value.isEmpty else {
            throw Problem(
              description:
                "sink '\(sink.name)': header \(header) needs $\(variable), which is empty")
          }
          headers.append((header, value))
        }
        var retry = RetryPolicy()
        retry.maxAttempts = sink.maxAttempts
        retry.initialDelay = sink.retryDelay
        return WebhookAlertSink(
          name: sink.name, format: sink.format,
          sender: WebhookSender(
            url: sink.url ?? "", headers: headers, timeout: sink.timeout, retry: retry),
          maxPerHour: sink.maxPerHour)
      }
    }
  }
}
