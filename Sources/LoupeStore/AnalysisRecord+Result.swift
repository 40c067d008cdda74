import Foundation
import LoupeCore

extension AnalysisRecord {
  /// What an analysis stores: the summary as JSON, the HTML report, and the findings,
  /// templates and sessions as the output files have them (log text redacted).
  /// - Parameters:
  ///   - result: the analysis.
  ///   - summary: its summary (with alerts and review when they ran).
  ///   - owner: whose it is.
  ///   - inputName: the name to show.
  ///   - config: the settings it ran with, as JSON.
  ///   - id: the id (default: a new UUID).
  /// - Throws: when the summary cannot be encoded.
  public init(
    result: AnalysisResult, summary: AnalysisSummary, owner: String, inputName: String,
    config: String, id: String = UUID().uuidString.lowercased()
  ) throws {
    let templates = result.templates
    let findings = FindingRow.rows(result).map { row in
      StoredFinding(
        line: row.line, timestamp: row.timestamp, level: row.level, component: row.component,
        templateId: row.templateId, score: row.finding.score, severity: row.finding.severity,
        detectors: row.finding.detectors, reason: row.finding.reason, message: row.message)
    }
    var anomalous = [Int](repeating: 0, count: templates.templates.count)
    for finding in result.findings { anomalous[templates.assignments[finding.record]] += 1 }
    let storedTemplates = templates.templates.enumerated().map { index, template in
      StoredTemplate(
        templateId: template.id, template: SecretScanner.redact(template.text),
        count: template.count, firstLine: template.firstLine, anomalousCount: anomalous[index])
    }
    let sessions = (result.sessions?.results ?? []).map { judged in
      StoredSession(
        session: SecretScanner.redact(judged.session.key),
        start: judged.session.start.map(TimestampFormatter.iso8601),
        end: judged.session.end.map(TimestampFormatter.iso8601),
        records: judged.session.records.count, score: judged.score, severity: judged.severity,
        reason: judged.reason)
    }
    let report = HTMLReport(
      result, summary: summary, groups: GroupCounts(result, groupBy: nil), heatmapBy: nil)
    self.init(
      analysis: StoredAnalysis(
        id: id, owner: owner, inputName: inputName, format: summary.format, config: config,
        createdAt: Date().timeIntervalSince1970, runSeconds: summary.runSeconds,
        records: summary.records, anomalies: summary.anomalies,
        summary: String(decoding: try summary.json(), as: UTF8.self),
        charts: try Self.chartsJSON(report.charts), report: report.html),
      findings: findings, templates: storedTemplates, sessions: sessions, alerts: summary.alerts)
  }

  /// The charts as a JSON list of `{"name", "svg"}`.
  static func chartsJSON(_ charts: [(name: String, svg: String)]) throws -> String {
    let objects = charts.map { ["name": $0.name, "svg": $0.svg] }
    return String(
      decoding: try JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys]),
      as: UTF8.self)
  }
}
