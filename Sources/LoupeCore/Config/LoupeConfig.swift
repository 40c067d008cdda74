import Foundation
import Yams

/// The settings a YAML config file may hold (`--config FILE`, or `loupe.yaml` in the working
/// directory). Command-line flags override them. Keys:
///
/// ```yaml
/// format: auto            # or a format name
/// log_format: "<Date> <Time> <Level> <Content>"
/// detectors: [iforest, rules]
/// contamination: auto     # or a share such as 0.02
/// seed: 42
/// output: loupe-results
/// fail_on: high
/// all_records: false
/// max_record_bytes: 1048576
/// severity_thresholds:    # per detector: critical, high, medium, low
///   iforest: {critical: 0.95, high: 0.85, medium: 0.65, low: 0.45}
/// rule_limits:
///   resource_percent: 90  # cpu/memory/disk use that counts as exhaustion
///   slow_query_ms: 1000   # a query at least this slow is reported
///   brute_force_failures: 10  # authentication failures from one source…
///   brute_force_window_s: 600 # …within this many seconds: brute force
/// rules:                  # custom rules, see CustomRule
///   - name: payment-declined
///     keywords: ["payment declined"]
///     fields: {status: ">= 500"}
///     severity: high
///     tags: [payments]
/// ```
public struct LoupeConfig: Sendable, Decodable, Equatable {
  /// The input format name.
  public var format: String?
  /// A LOGPAI header format.
  public var logFormat: String?
  /// The detectors to run.
  public var detectors: [String]?
  /// 'auto' or the share of records to flag.
  public var contamination: String?
  /// The random seed.
  public var seed: UInt64?
  /// The output directory.
  public var output: String?
  /// The severity that makes the run exit with status 3.
  public var failOn: String?
  /// Whether to write `STEM_records.csv`.
  public var allRecords: Bool?
  /// The longest record analysed whole, in bytes.
  public var maxRecordBytes: Int?
  /// Severity thresholds per detector name.
  public var severityThresholds: [String: SeverityThresholds]?
  /// Limits of the built-in value rules.
  public var ruleLimits: RuleLimits?
  /// Custom rules.
  public var rules: [CustomRule]?
  /// The session key (`--session-key`).
  public var sessionKey: String?
  /// The window length (`--window`).
  public var window: String?
  /// The window step (`--step`).
  public var step: String?
  /// Alert rules and sinks.
  public var alerts: AlertConfig?
  /// How e-mail is sent.
  public var smtp: SMTPSettings?
  /// LLM review, from the `llm` and `workflow` sections.
  public var review = ReviewSettings()

  enum CodingKeys: String, CodingKey {
    case format, detectors, contamination, seed, output
    case logFormat = "log_format"
    case failOn = "fail_on"
    case allRecords = "all_records"
    case maxRecordBytes = "max_record_bytes"
    case severityThresholds = "severity_thresholds"
    case ruleLimits = "rule_limits"
    case rules, window, step
    case sessionKey = "session_key"
    case alerts, smtp, llm, workflow
  }

  /// Creates an empty config.
  public init() {}

  /// Decodes the config, accepting `detectors` as a list or a comma-separated string and
  /// `contamination` as `auto` or a number.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    format = try container.decodeIfPresent(String.self, forKey: .format)
    logFormat = try container.decodeIfPresent(String.self, forKey: .logFormat)
    if let list = try? container.decodeIfPresent([String].self, forKey: .detectors) {
      detectors = list
    } else if let text = try container.decodeIfPresent(String.self, forKey: .detectors) {
      detectors = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }
    if let number = try? container.decodeIfPresent(Double.self, forKey: .contamination) {
      contamination = String(number)
    } else {
      contamination = try container.decodeIfPresent(String.self, forKey: .contamination)
    }
    seed = try container.decodeIfPresent(UInt64.self, forKey: .seed)
    output = try container.decodeIfPresent(String.self, forKey: .output)
    failOn = try container.decodeIfPresent(String.self, forKey: .failOn)
    allRecords = try container.decodeIfPresent(Bool.self, forKey: .allRecords)
    maxRecordBytes = try container.decodeIfPresent(Int.self, forKey: .maxRecordBytes)
    severityThresholds = try container.decodeIfPresent(
      [String: SeverityThresholds].self, forKey: .severityThresholds)
    ruleLimits = try container.decodeIfPresent(RuleLimits.self, forKey: .ruleLimits)
    rules = try container.decodeIfPresent([CustomRule].self, forKey: .rules)
    sessionKey = try container.decodeIfPresent(String.self, forKey: .sessionKey)
    window = try container.decodeIfPresent(String.self, forKey: .window)
    step = try container.decodeIfPresent(String.self, forKey: .step)
    alerts = try container.decodeIfPresent(AlertConfig.self, forKey: .alerts)
    smtp = try container.decodeIfPresent(SMTPSettings.self, forKey: .smtp)
    let sections = ReviewSections(
      llm: try container.decodeIfPresent(ReviewSections.LLM.self, forKey: .llm),
      workflow: try container.decodeIfPresent(ReviewSections.Workflow.self, forKey: .workflow))
    switch sections.settings() {
    case .success(let settings): review = settings
    case .failure(let problem): reviewProblem = problem.description
    }
  }

  /// Why the `llm`/`workflow` sections are invalid, found while decoding.
  private var reviewProblem: String?

  /// What is wrong with the settings that decoding cannot see (unknown detectors in
  /// `severity_thresholds`, thresholds out of order, invalid rules), or `nil`.
  public var problem: String? {
    for (name, thresholds) in severityThresholds ?? [:] {
      guard DetectorCatalog.detector(named: name) != nil else {
        return "severity_thresholds: unknown detector '\(name)'"
      }
      guard thresholds.isOrdered else {
        return "severity_thresholds.\(name): need 0 ≤ low ≤ medium ≤ high ≤ critical ≤ 1"
      }
    }
    for rule in rules ?? [] {
      if let problem = rule.problem { return "rules: \(problem)" }
    }
    if let problem = smtp?.problem { return problem }
    if let problem = alerts?.problem(smtp: smtp) { return problem }
    return reviewProblem
  }

  /// A config problem, told in one sentence naming the file.
  public struct LoadError: Error, CustomStringConvertible {
    /// The sentence.
    public var description: String
  }

  /// Loads a config file.
  /// - Parameter path: the YAML file.
  /// - Returns: the settings.
  /// - Throws: ``LoadError`` when the file is missing or not valid YAML of this shape.
  public static func load(_ path: String) throws(LoadError) -> LoupeConfig {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LoadError(description: "\(path): the config file cannot be read")
    }
    let text = String(decoding: data, as: UTF8.self)
    if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return LoupeConfig() }
    let config: LoupeConfig
    do {
      config = try YAMLDecoder().decode(LoupeConfig.self, from: text)
    } catch {
      throw LoadError(description: "\(path): invalid config: \(error)")
    }
    if let problem = config.problem {
      throw LoadError(description: "\(path): invalid config: \(problem)")
    }
    return config
  }
}
