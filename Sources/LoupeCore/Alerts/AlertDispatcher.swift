import Foundation

/// Sends alerts to their rules' sinks, holding back what the ledger says is cooling down or
/// over a sink's hourly limit, and records what happened to each.
public struct AlertDispatcher: Sendable {
  /// The sinks by name.
  public var sinks: [any AlertSink]
  /// The rules, for their sinks and cool-downs.
  public var rules: [AlertRule]
  /// The ledger file; `nil`: keep no state between runs.
  public var ledgerPath: String?

  /// Creates a dispatcher.
  public init(sinks: [any AlertSink], rules: [AlertRule], ledgerPath: String?) {
    self.sinks = sinks
    self.rules = rules
    self.ledgerPath = ledgerPath
  }

  /// Delivers `alerts` and returns one record per alert. Failures are recorded, not thrown.
  /// - Parameters:
  ///   - alerts: the alerts, from ``AlertEvaluator``.
  ///   - now: the time for cool-downs and rate limits.
  /// - Returns: the records, and a problem with the ledger file when there was one.
  public func dispatch(_ alerts: [Alert], now: Date = Date()) async -> (
    records: [AlertRecord], problem: String?
  ) {
    var problem: String?
    var ledger = AlertLedger()
    if let ledgerPath {
      do { ledger = try AlertLedger.load(ledgerPath) } catch {
        problem = "\(error)"
      }
    }
    let clock = now.timeIntervalSince1970
    var records: [AlertRecord] = []
    for alert in alerts {
      let rule = rules.first { $0.name == alert.rule }
      let targets = sinks.filter { sink in rule?.sinks.map { $0.contains(sink.name) } ?? true }
      var deliveries: [AlertRecord.Delivery] = []
      if ledger.coolingDown(alert.key, cooldown: rule?.cooldownSeconds ?? 3600, now: clock) {
        deliveries = targets.map {
          .init(sink: $0.name, status: "cooldown", detail: "the same incident was sent recently")
        }
      } else {
        for sink in targets {
          if ledger.rateLimited(sink.name, limit: sink.maxPerHour, now: clock) {
            deliveries.append(
              .init(
                sink: sink.name, status: "rate_limited",
                detail: "\(sink.maxPerHour ?? 0) alerts in the last hour"))
            continue
          }
          do {
            try await sink.deliver(alert)
            ledger.noteSend(sink.name, now: clock)
            deliveries.append(.init(sink: sink.name, status: "sent", detail: nil))
          } catch {
            deliveries.append(.init(sink: sink.name, status: "failed", detail: "\(error)"))
          }
        }
        if deliveries.contains(where: { $0.status == "sent" }) {
          ledger.lastSent[alert.key] = clock
        }
      }
      records.append(
        AlertRecord(
          rule: alert.rule, key: alert.key, severity: alert.severity, title: alert.title,
          deliveries: deliveries))
    }
    if let ledgerPath, problem == nil, !alerts.isEmpty {
      do { try ledger.save(ledgerPath) } catch {
        problem = "\(ledgerPath): the alert state cannot be written: \(error.localizedDescription)"
      }
    }
    return (records, problem)
  }
}
