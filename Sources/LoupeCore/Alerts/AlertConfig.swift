/// The config's `alerts` section: rules, sinks and where the cool-down state is kept.
///
/// ```yaml
/// alerts:
///   state_file: loupe-alert-state.json   # default: loupe_alert_state.json in --output
///   rules: [...]                          # see AlertRule
///   sinks: [...]                          # see AlertSinkConfig; default: console and file
/// ```
public struct AlertConfig: Sendable, Decodable, Equatable {
  /// The rules.
  public var rules: [AlertRule] = []
  /// The sinks.
  public var sinks: [AlertSinkConfig] = []
  /// The file holding cool-down and rate-limit state.
  public var stateFile: String?

  enum CodingKeys: String, CodingKey {
    case rules, sinks
    case stateFile = "state_file"
  }

  /// Creates an empty alert config.
  public init() {}

  /// Decodes the section.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    rules = try container.decodeIfPresent([AlertRule].self, forKey: .rules) ?? []
    sinks = try container.decodeIfPresent([AlertSinkConfig].self, forKey: .sinks) ?? []
    stateFile = try container.decodeIfPresent(String.self, forKey: .stateFile)
  }

  /// The sinks alerts go to: the configured ones, or the console and the files.
  public var effectiveSinks: [AlertSinkConfig] {
    sinks.isEmpty
      ? [
        AlertSinkConfig(name: "console", kind: .console),
        AlertSinkConfig(name: "file", kind: .file),
      ]
      : sinks
  }

  /// What is wrong with the section, or `nil`.
  public func problem(smtp: SMTPSettings?) -> String? {
    var names = Set<String>()
    for sink in sinks {
      if let problem = sink.problem { return "alerts.sinks: \(problem)" }
      guard names.insert(sink.name).inserted else {
        return "alerts.sinks: two sinks are named '\(sink.name)'"
      }
      if sink.kind == .email, smtp == nil {
        return "alerts.sinks: sink '\(sink.name)' sends e-mail but there is no smtp section"
      }
    }
    let known = Set(effectiveSinks.map(\.name))
    for rule in rules {
      if let problem = rule.problem { return "alerts.rules: \(problem)" }
      if let unknown = rule.sinks?.first(where: { !known.contains($0) }) {
        return "alerts.rules: rule '\(rule.name)' names unknown sink '\(unknown)'"
      }
    }
    return nil
  }
}
