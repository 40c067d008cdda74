import Foundation

/// One place alerts go, from the config's `alerts.sinks` list:
///
/// ```yaml
/// alerts:
///   sinks:
///     - {name: console, type: console}                  # standard error
///     - {name: files, type: file, directory: alerts}    # alerts.txt and alerts.jsonl (default: --output)
///     - {name: ops-mail, type: email, to: [oncall@example.com], max_per_hour: 10}   # uses smtp:
///     - {name: slack, type: webhook, format: slack, url: "https://hooks.slack.com/services/…"}
///     - {name: hook, type: webhook, url: "https://example.com/hook", max_attempts: 4, timeout: 10,
///        retry_delay: 1, headers_env: {Authorization: HOOK_AUTH}}  # header values from the environment
/// ```
///
/// `max_per_hour` caps what one sink sends in any hour (the rest is recorded as rate-limited).
public struct AlertSinkConfig: Sendable, Decodable, Equatable {
  /// What kind of sink.
  public enum Kind: String, Sendable, Decodable, Equatable {
    /// Standard error.
    case console
    /// `alerts.txt` and `alerts.jsonl`, appended.
    case file
    /// E-mail through the config's `smtp` settings.
    case email
    /// An HTTP POST.
    case webhook
  }

  /// The body a webhook posts.
  public enum PayloadFormat: String, Sendable, Decodable, Equatable {
    /// The alert as JSON.
    case json
    /// A Slack-compatible message (`text` and `blocks`).
    case slack
  }

  /// The sink's name, used by rules.
  public var name: String
  /// What kind of sink.
  public var kind: Kind
  /// The most alerts sent in any hour; `nil`: no limit.
  public var maxPerHour: Int?
  /// For files: the directory (default: the output directory).
  public var directory: String?
  /// For e-mail: the recipients (default: `smtp.to`).
  public var to: [String]?
  /// For webhooks: the URL.
  public var url: String?
  /// For webhooks: the payload.
  public var format: PayloadFormat = .json
  /// For webhooks: attempts before giving up (default 3).
  public var maxAttempts: Int = 3
  /// For webhooks: seconds per attempt (default 10).
  public var timeout: Double = 10
  /// For webhooks: seconds before the first retry, doubling after each (default 1).
  public var retryDelay: Double = 1
  /// For webhooks: header names mapped to the environment variables holding their values.
  public var headersEnvironment: [String: String] = [:]

  enum CodingKeys: String, CodingKey {
    case name, type, directory, to, url, format, timeout
    case maxPerHour = "max_per_hour"
    case maxAttempts = "max_attempts"
    case retryDelay = "retry_delay"
    case headersEnvironment = "headers_env"
  }

  /// Creates a sink.
  public init(name: String, kind: Kind) {
    self.name = name
    self.kind = kind
  }

  /// Decodes a sink; its name defaults to its type.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let typeName = try container.decode(String.self, forKey: .type)
    guard let kind = Kind(rawValue: typeName.lowercased()) else {
      throw DecodingError.dataCorruptedError(
        forKey: .type, in: container,
        debugDescription: "sink type must be console, file, email or webhook, not '\(typeName)'")
    }
    self.kind = kind
    name = try container.decodeIfPresent(String.self, forKey: .name) ?? kind.rawValue
    maxPerHour = try container.decodeIfPresent(Int.self, forKey: .maxPerHour)
    directory = try container.decodeIfPresent(String.self, forKey: .directory)
    if let list = try? container.decodeIfPresent([String].self, forKey: .to) {
      to = list
    } else if let single = try container.decodeIfPresent(String.self, forKey: .to) {
      to = [single]
    }
    url = try container.decodeIfPresent(String.self, forKey: .url)
    if let text = try container.decodeIfPresent(String.self, forKey: .format) {
      guard let format = PayloadFormat(rawValue: text.lowercased()) else {
        throw DecodingError.dataCorruptedError(
          forKey: .format, in: container,
          debugDescription: "sink '\(name)': format must be json or slack")
      }
      self.format = format
    }
    maxAttempts = try container.decodeIfPresent(Int.self, forKey: .maxAttempts) ?? 3
    timeout = try container.decodeIfPresent(Double.self, forKey: .timeout) ?? 10
    retryDelay = try container.decodeIfPresent(Double.self, forKey: .retryDelay) ?? 1
    headersEnvironment =
      try container.decodeIfPresent([String: String].self, forKey: .headersEnvironment) ?? [:]
  }

  /// What is wrong with the sink, or `nil`.
  public var problem: String? {
    if let maxPerHour, maxPerHour < 1 { return "sink '\(name)': max_per_hour must be at least 1" }
    switch kind {
    case .webhook:
      guard let url, let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? "")
      else { return "sink '\(name)': a webhook needs an http or https url" }
      if maxAttempts < 1 { return "sink '\(name)': max_attempts must be at least 1" }
      if timeout <= 0 { return "sink '\(name)': timeout must be positive" }
      if retryDelay < 0 { return "sink '\(name)': retry_delay must not be negative" }
    case .email:
      if let to, to.contains(where: { !SMTPSettings.isAddress($0) }) {
        return "sink '\(name)': not an e-mail address in to"
      }
    case .console, .file: break
    }
    return nil
  }
}
