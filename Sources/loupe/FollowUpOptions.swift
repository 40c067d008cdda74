import ArgumentParser
import Foundation
import LoupeConnect
import LoupeCore

/// `--email` and `--llm/--no-llm`: alerts and LLM review after detection, set up from the
/// config's `alerts`, `smtp`, `llm` and `workflow` sections.
struct FollowUpOptions: ParsableArguments {
  @Option(
    help:
      "Send alerts by e-mail to this address (comma-separated for several), through the config's smtp settings; without alert rules in the config, findings at high or above alert."
  )
  var email: String?

  @Flag(
    inversion: .prefixedNo,
    help:
      "Review the findings with an LLM, once per template (provider, model and endpoint from the config's llm section; default Ollama at localhost:11434)."
  )
  var llm: Bool?

  /// The follow-up for the run, or `nil` when neither alerts nor review are wanted.
  /// - Throws: `ValidationError` when the settings cannot work (no smtp for `--email`, no
  ///   password for an authenticated server, a webhook header without its variable).
  func followUp(_ configuration: LoupeConfig, outputDirectory: String) throws -> ConnectedFollowUp?
  {
    var alerts = configuration.alerts ?? AlertConfig()
    if let email {
      let recipients = email.split(separator: ",").map {
        String($0).trimmingCharacters(in: .whitespaces)
      }
      guard !recipients.isEmpty, recipients.allSatisfy(SMTPSettings.isAddress) else {
        throw ValidationError("--email needs e-mail addresses, not '\(email)'")
      }
      guard configuration.smtp != nil else {
        throw ValidationError(
          "--email needs an smtp section in the config (host, port, security, from; see README)")
      }
      var sinks = alerts.effectiveSinks
      let name = sinks.contains { $0.name == "email" } ? "--email" : "email"
      var sink = AlertSinkConfig(name: name, kind: .email)
      sink.to = recipients
      sinks.append(sink)
      alerts.sinks = sinks
      if alerts.rules.isEmpty {
        alerts.rules = [AlertRule(name: "findings", minSeverity: .high)]
      } else {
        for index in alerts.rules.indices where alerts.rules[index].sinks != nil {
          alerts.rules[index].sinks?.append(name)
        }
      }
    }
    var dispatcher: AlertDispatcher?
    if !alerts.rules.isEmpty {
      let sinks: [any AlertSink]
      do {
        sinks = try AlertSinkFactory.sinks(
          for: alerts, smtp: configuration.smtp, outputDirectory: outputDirectory)
      } catch {
        throw ValidationError("alerts: \(error)")
      }
      dispatcher = AlertDispatcher(
        sinks: sinks, rules: alerts.rules,
        ledgerPath: alerts.stateFile
          ?? (outputDirectory as NSString).appendingPathComponent("loupe_alert_state.json"))
    }
    var reviewer: LLMReviewer?
    if llm ?? configuration.review.enabled {
      let settings = configuration.review
      reviewer = LLMReviewer(settings: settings, provider: LLMReviewer.provider(for: settings))
    }
    guard dispatcher != nil || reviewer != nil else { return nil }
    return ConnectedFollowUp(reviewer: reviewer, rules: alerts.rules, dispatcher: dispatcher)
  }
}
