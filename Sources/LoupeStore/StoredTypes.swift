import Foundation
import LoupeCore

/// One analysis as stored: what was read, how, when, and its summary (as JSON) and report.
public struct StoredAnalysis: Sendable, Equatable, Codable {
  /// The id (a UUID).
  public var id: String
  /// Whose it is: a browser session, `api`, `cli` or an ingest stream.
  public var owner: String
  /// The input's name.
  public var inputName: String
  /// The format read.
  public var format: String
  /// The settings it ran with, as JSON.
  public var config: String
  /// When it was stored, seconds since 1970.
  public var createdAt: Double
  /// Seconds the analysis took.
  public var runSeconds: Double
  /// Records read.
  public var records: Int
  /// Findings.
  public var anomalies: Int
  /// The summary (`STEM_summary.json`).
  public var summary: String
  /// The report's charts as a JSON list of `{"name", "svg"}`; empty in listings.
  public var charts: String
  /// The HTML report (`STEM_report.html`); empty in listings.
  public var report: String

  /// Creates a stored analysis.
  public init(
    id: String, owner: String, inputName: String, format: String, config: String,
    createdAt: Double, runSeconds: Double, records: Int, anomalies: Int, summary: String,
    charts: String, report: String
  ) {
    self.id = id
    self.owner = owner
    self.inputName = inputName
    self.format = format
    self.config = config
    self.createdAt = createdAt
    self.runSeconds = runSeconds
    self.records = records
    self.anomalies = anomalies
    self.summary = summary
    self.charts = charts
    self.report = report
  }
}

/// One finding as stored (the columns of `STEM_anomalies.csv`).
public struct StoredFinding: Sendable, Equatable, Codable {
  /// The record's line.
  public var line: Int
  /// ISO 8601 UTC, when the record has a time.
  public var timestamp: String?
  /// The level.
  public var level: String?
  /// The component (or process, or host).
  public var component: String?
  /// The template id.
  public var templateId: String
  /// The score.
  public var score: Double
  /// The severity.
  public var severity: Severity
  /// The detectors.
  public var detectors: [String]
  /// The reason.
  public var reason: String
  /// The message, redacted.
  public var message: String

  /// Creates a stored finding.
  public init(
    line: Int, timestamp: String?, level: String?, component: String?, templateId: String,
    score: Double, severity: Severity, detectors: [String], reason: String, message: String
  ) {
    self.line = line
    self.timestamp = timestamp
    self.level = level
    self.component = component
    self.templateId = templateId
    self.score = score
    self.severity = severity
    self.detectors = detectors
    self.reason = reason
    self.message = message
  }
}

/// One template as stored.
public struct StoredTemplate: Sendable, Equatable, Codable {
  /// The id.
  public var templateId: String
  /// The text, redacted.
  public var template: String
  /// Records.
  public var count: Int
  /// The first line.
  public var firstLine: Int
  /// Findings among its records.
  public var anomalousCount: Int

  /// Creates a stored template.
  public init(templateId: String, template: String, count: Int, firstLine: Int, anomalousCount: Int)
  {
    self.templateId = templateId
    self.template = template
    self.count = count
    self.firstLine = firstLine
    self.anomalousCount = anomalousCount
  }
}

/// One judged session or window as stored.
public struct StoredSession: Sendable, Equatable, Codable {
  /// The key, redacted.
  public var session: String
  /// First record's time.
  public var start: String?
  /// Last record's time.
  public var end: String?
  /// Records.
  public var records: Int
  /// Score.
  public var score: Double
  /// Severity when anomalous.
  public var severity: Severity?
  /// Why.
  public var reason: String

  /// Creates a stored session.
  public init(
    session: String, start: String?, end: String?, records: Int, score: Double,
    severity: Severity?, reason: String
  ) {
    self.session = session
    self.start = start
    self.end = end
    self.records = records
    self.score = score
    self.severity = severity
    self.reason = reason
  }
}

/// Everything one analysis stores, written in one transaction.
public struct AnalysisRecord: Sendable {
  /// The analysis row.
  public var analysis: StoredAnalysis
  /// Its findings, in line order.
  public var findings: [StoredFinding]
  /// Its templates.
  public var templates: [StoredTemplate]
  /// Its judged sessions.
  public var sessions: [StoredSession]
  /// The alerts raised.
  public var alerts: [AlertRecord]

  /// Creates a record.
  public init(
    analysis: StoredAnalysis, findings: [StoredFinding], templates: [StoredTemplate],
    sessions: [StoredSession], alerts: [AlertRecord]
  ) {
    self.analysis = analysis
    self.findings = findings
    self.templates = templates
    self.sessions = sessions
    self.alerts = alerts
  }
}

/// Which findings to list: a page of them, filtered and sorted.
public struct FindingQuery: Sendable, Equatable {
  /// How findings are ordered.
  public enum Order: String, Sendable, CaseIterable {
    /// By line, first first.
    case line
    /// Highest score first.
    case score
    /// Most severe first, then score.
    case severity
  }

  /// The orders' names, as `sort` takes them.
  public static var orderNames: [String] { Order.allCases.map(\.rawValue) }

  /// Only this severity.
  public var severity: Severity?
  /// Only findings whose message, reason, component or template id holds this (any case).
  public var search: String?
  /// The order.
  public var order: Order = .line
  /// The 1-based page.
  public var page: Int = 1
  /// Findings per page (1…500).
  public var pageSize: Int = 50

  /// Creates a query.
  public init(
    severity: Severity? = nil, search: String? = nil, order: Order = .line, page: Int = 1,
    pageSize: Int = 50
  ) {
    self.severity = severity
    self.search = search
    self.order = order
    self.page = max(1, page)
    self.pageSize = min(500, max(1, pageSize))
  }
}

/// One page of findings and how many match in all.
public struct FindingPage: Sendable, Equatable, Codable {
  /// The findings on this page.
  public var findings: [StoredFinding]
  /// Findings matching the query.
  public var total: Int
  /// This page.
  public var page: Int
  /// Findings per page.
  public var pageSize: Int
}
