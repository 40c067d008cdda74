import Foundation

/// One alert rule from the config's `alerts.rules` list:
///
/// ```yaml
/// alerts:
///   rules:
///     - name: critical-findings
///       min_severity: high          # findings at or above this count (default low)
///       min_findings: 1             # at least this many of them (default 1)
///       severity_counts: {critical: 1}  # and at least N findings of each severity named
///       anomaly_rate: 0.05          # and the run's anomaly rate at least this
///       detectors: [secrets, rules] # only findings from one of these detectors
///       rules: [brute-force, security]  # only findings of these custom rules or tags
///       templates: [T1a2b3c4d, "Connection refused"]  # only these template ids or texts
///       sessions: 1                 # and at least N anomalous sessions at min_severity
///       group_by: template          # none (default), template or detector: one alert each
///       dedup_key: "{rule}:{group}:{input}"   # what makes two alerts the same incident
///       cooldown: 1h                # the same incident is not sent again within this
///       sinks: [console, ops-mail]  # the sinks' names (default: every sink)
/// ```
///
/// A rule fires when every condition it gives holds; the findings it selects (by severity,
/// detector, rule and template) are the alert's evidence.
public struct AlertRule: Sendable, Decodable, Equatable {
  /// The rule's name, shown in alerts.
  public var name: String
  /// The least severity of a finding that counts.
  public var minSeverity: Severity = .low
  /// The least number of selected findings.
  public var minFindings: Int = 1
  /// The least number of selected findings per severity.
  public var severityCounts: [Severity: Int] = [:]
  /// The least anomaly rate of the run.
  public var anomalyRate: Double?
  /// Detectors of which a finding must come from one.
  public var detectors: [String]?
  /// Custom rule names or tags of which a finding must have one.
  public var rules: [String]?
  /// Template ids or template texts (contained, any case) of which a finding must match one.
  public var templates: [String]?
  /// The least number of anomalous sessions at `minSeverity`.
  public var sessions: Int?
  /// How selected findings split into alerts.
  public var groupBy: Grouping = .none
  /// The de-duplication key, with `{rule}`, `{group}`, `{input}` and `{severity}` filled in.
  public var dedupKey: String?
  /// Seconds within which the same incident is not sent again.
  public var cooldownSeconds: Double = 3600
  /// The sinks to send to; `nil`: all.
  public var sinks: [String]?

  /// How a rule's findings split into alerts.
  public enum Grouping: String, Sendable, Decodable, Equatable {
    /// One alert for the rule.
    case none
    /// One alert per template.
    case template
    /// One alert per detector.
    case detector
  }

  enum CodingKeys: String, CodingKey {
    case name, detectors, rules, templates, sessions, sinks, cooldown
    case minSeverity = "min_severity"
    case minFindings = "min_findings"
    case severityCounts = "severity_counts"
    case anomalyRate = "anomaly_rate"
    case groupBy = "group_by"
    case dedupKey = "dedup_key"
  }

  /// Creates a rule.
  public init(name: String, minSeverity: Severity = .low) {
    self.name = name
    self.minSeverity = minSeverity
  }

  /// Decodes a rule; severities and the cooldown (`30s`, `15m`, `1h`) are checked.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    name = try container.decode(String.self, forKey: .name)
    func problem(_ key: CodingKeys, _ text: String) -> DecodingError {
      .dataCorruptedError(forKey: key, in: container, debugDescription: "rule '\(name)': \(text)")
    }
    if let text = try container.decodeIfPresent(String.self, forKey: .minSeverity) {
      guard let severity = Severity(rawValue: text.lowercased()) else {
        throw problem(.minSeverity, "min_severity must be low, medium, high or critical")
      }
      minSeverity = severity
    }
    minFindings = try container.decodeIfPresent(Int.self, forKey: .minFindings) ?? 1
    for (key, count) in try container.decodeIfPresent([String: Int].self, forKey: .severityCounts)
      ?? [:]
    {
      guard let severity = Severity(rawValue: key.lowercased()) else {
        throw problem(.severityCounts, "unknown severity '\(key)' in severity_counts")
      }
      severityCounts[severity] = count
    }
    anomalyRate = try container.decodeIfPresent(Double.self, forKey: .anomalyRate)
    detectors = try container.decodeIfPresent([String].self, forKey: .detectors)
    rules = try container.decodeIfPresent([String].self, forKey: .rules)
    templates = try container.decodeIfPresent([String].self, forKey: .templates)
    sessions = try container.decodeIfPresent(Int.self, forKey: .sessions)
    if let text = try container.decodeIfPresent(String.self, forKey: .groupBy) {
      guard let grouping = Grouping(rawValue: text.lowercased()) else {
        throw problem(.groupBy, "group_by must be none, template or detector")
      }
      groupBy = grouping
    }
    dedupKey = try container.decodeIfPresent(String.self, forKey: .dedupKey)
    if let text = try container.decodeIfPresent(String.self, forKey: .cooldown) {
      guard let seconds = text == "0" ? 0 : SessionSpec.seconds(text) else {
        throw problem(.cooldown, "cooldown must be a duration such as 30s, 15m or 1h")
      }
      cooldownSeconds = seconds
    }
    sinks = try container.decodeIfPresent([String].self, forKey: .sinks)
  }

  /// What is wrong with the rule that decoding cannot see, or `nil`.
  public var problem: String? {
    if name.isEmpty { return "an alert rule needs a name" }
    if minFindings < 1 { return "rule '\(name)': min_findings must be at least 1" }
    if let rate = anomalyRate, !(0...1).contains(rate) {
      return "rule '\(name)': anomaly_rate must be in [0, 1]"
    }
    if let detectors, let unknown = detectors.first(where: { !AlertRule.knownDetector($0) }) {
      return "rule '\(name)': unknown detector '\(unknown)'"
    }
    return nil
  }

  static func knownDetector(_ name: String) -> Bool {
    DetectorCatalog.detector(named: name) != nil
      || SessionAnalysis.detectorNames.contains(name.lowercased())
  }

  /// The de-duplication key for one alert of this rule.
  func key(group: String?, input: String, severity: Severity) -> String {
    let pattern = dedupKey ?? (groupBy == .none ? "{rule}:{input}" : "{rule}:{group}:{input}")
    return
      pattern
      .replacingOccurrences(of: "{rule}", with: name)
      .replacingOccurrences(of: "{group}", with: group ?? "")
      .replacingOccurrences(of: "{input}", with: input)
      .replacingOccurrences(of: "{severity}", with: severity.rawValue)
  }
}
