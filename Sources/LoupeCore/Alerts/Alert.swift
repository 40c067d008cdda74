import Foundation

/// One alert: a rule fired on a run. Every piece of log text in it is redacted.
public struct Alert: Sendable, Codable, Equatable {
  /// One finding quoted as evidence.
  public struct Evidence: Sendable, Codable, Equatable {
    /// The line where the record starts.
    public var line: Int
    /// The finding's severity.
    public var severity: Severity
    /// The finding's score.
    public var score: Double
    /// Its detectors.
    public var detectors: [String]
    /// Its reason.
    public var reason: String
    /// The record's message, redacted and cut to 500 characters.
    public var message: String
    /// The record's template id.
    public var templateId: String

    /// Creates a piece of evidence.
    public init(
      line: Int, severity: Severity, score: Double, detectors: [String], reason: String,
      message: String, templateId: String
    ) {
      self.line = line
      self.severity = severity
      self.score = score
      self.detectors = detectors
      self.reason = reason
      self.message = message
      self.templateId = templateId
    }
  }

  /// One anomalous session quoted as evidence.
  public struct SessionEvidence: Sendable, Codable, Equatable {
    /// The session key (redacted).
    public var session: String
    /// Its severity.
    public var severity: Severity
    /// Its score.
    public var score: Double
    /// Its reason.
    public var reason: String
  }

  /// The rule that fired.
  public var rule: String
  /// The de-duplication key.
  public var key: String
  /// The highest severity among the evidence.
  public var severity: Severity
  /// A one-line title.
  public var title: String
  /// The input's name.
  public var input: String
  /// When the alert was raised, ISO 8601 UTC.
  public var raisedAt: String
  /// The group (template id or detector) when the rule groups.
  public var group: String?
  /// How many findings the rule selected.
  public var findings: Int
  /// Selected findings per severity.
  public var severities: [String: Int]
  /// The run's records and anomaly rate.
  public var records: Int
  /// The run's anomaly rate.
  public var anomalyRate: Double
  /// Anomalous sessions the rule selected.
  public var anomalousSessions: Int
  /// The highest-scoring selected findings (ten at most).
  public var evidence: [Evidence]
  /// The highest-scoring selected sessions (five at most).
  public var sessionEvidence: [SessionEvidence]

  /// Creates an alert.
  public init(
    rule: String, key: String, severity: Severity, title: String, input: String,
    raisedAt: String, group: String?, findings: Int, severities: [String: Int], records: Int,
    anomalyRate: Double, anomalousSessions: Int, evidence: [Evidence],
    sessionEvidence: [SessionEvidence]
  ) {
    self.rule = rule
    self.key = key
    self.severity = severity
    self.title = title
    self.input = input
    self.raisedAt = raisedAt
    self.group = group
    self.findings = findings
    self.severities = severities
    self.records = records
    self.anomalyRate = anomalyRate
    self.anomalousSessions = anomalousSessions
    self.evidence = evidence
    self.sessionEvidence = sessionEvidence
  }

  enum CodingKeys: String, CodingKey {
    case rule, key, severity, title, input, group, findings, severities, records, evidence
    case raisedAt = "raised_at"
    case anomalyRate = "anomaly_rate"
    case anomalousSessions = "anomalous_sessions"
    case sessionEvidence = "session_evidence"
  }
}

/// What happened to one alert at each sink, for the summary's `alerts` list.
public struct AlertRecord: Sendable, Codable, Equatable {
  /// One sink's outcome.
  public struct Delivery: Sendable, Codable, Equatable {
    /// The sink's name.
    public var sink: String
    /// `sent`, `failed`, `cooldown` or `rate_limited`.
    public var status: String
    /// Why it failed or was held back.
    public var detail: String?

    /// Creates a delivery outcome.
    public init(sink: String, status: String, detail: String?) {
      self.sink = sink
      self.status = status
      self.detail = detail
    }
  }

  /// The rule that fired.
  public var rule: String
  /// The de-duplication key.
  public var key: String
  /// The alert's severity.
  public var severity: Severity
  /// The alert's title.
  public var title: String
  /// The outcome per sink.
  public var deliveries: [Delivery]

  /// Creates a record.
  public init(rule: String, key: String, severity: Severity, title: String, deliveries: [Delivery])
  {
    self.rule = rule
    self.key = key
    self.severity = severity
    self.title = title
    self.deliveries = deliveries
  }
}
