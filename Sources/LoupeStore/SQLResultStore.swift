import Foundation
import LoupeCore

/// ``ResultStore`` over any ``SQLExecutor``: the one implementation of every query, so that
/// SQLite and PostgreSQL behave alike and one test suite covers both.
public struct SQLResultStore: ResultStore {
  /// The database.
  public let executor: any SQLExecutor

  /// Wraps an executor and applies the migrations.
  public init(executor: any SQLExecutor) async throws {
    self.executor = executor
    try await Migrations.apply(executor)
  }

  static func rank(_ severity: Severity) -> Int { Severity.allCases.firstIndex(of: severity) ?? 0 }

  static func optional(_ text: String?) -> SQLValue { text.map { .text($0) } ?? .null }

  /// Stores everything in one transaction.
  public func save(_ record: AnalysisRecord) async throws {
    let analysis = record.analysis
    try await executor.transaction { transaction in
      try await transaction.execute(
        """
        INSERT INTO analyses (id, owner, input_name, format, config, created_at, run_seconds,
          records, anomalies, summary, charts, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
          .text(analysis.id), .text(analysis.owner), .text(analysis.inputName),
          .text(analysis.format), .text(analysis.config), .real(analysis.createdAt),
          .real(analysis.runSeconds), .integer(analysis.records), .integer(analysis.anomalies),
          .text(analysis.summary), .text(analysis.charts), .text(analysis.report),
        ])
      for chunk in stride(from: 0, to: record.findings.count, by: 200) {
        let slice = record.findings[chunk..<min(chunk + 200, record.findings.count)]
        var values: [SQLValue] = []
        for (offset, finding) in slice.enumerated() {
          values += [
            .text(analysis.id), .integer(chunk + offset), .integer(finding.line),
            Self.optional(finding.timestamp), Self.optional(finding.level),
            Self.optional(finding.component), .text(finding.templateId), .real(finding.score),
            .text(finding.severity.rawValue), .integer(Self.rank(finding.severity)),
            .text(finding.detectors.joined(separator: ",")), .text(finding.reason),
            .text(finding.message),
          ]
        }
        try await transaction.execute(
          """
          INSERT INTO findings (analysis_id, ordinal, line, timestamp, level, component,
            template_id, score, severity, severity_rank, detectors, reason, message) VALUES
          """
            + Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: slice.count)
            .joined(separator: ", "), values)
      }
      for template in record.templates {
        try await transaction.execute(
          """
          INSERT INTO templates (analysis_id, template_id, template, count, first_line,
            anomalous_count) VALUES (?, ?, ?, ?, ?, ?)
          """,
          [
            .text(analysis.id), .text(template.templateId), .text(template.template),
            .integer(template.count), .integer(template.firstLine),
            .integer(template.anomalousCount),
          ])
      }
      for (ordinal, session) in record.sessions.enumerated() {
        try await transaction.execute(
          """
          INSERT INTO sessions (analysis_id, ordinal, session, started, ended, records, score,
            severity, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
          [
            .text(analysis.id), .integer(ordinal), .text(session.session),
            Self.optional(session.start), Self.optional(session.end), .integer(session.records),
            .real(session.score), Self.optional(session.severity?.rawValue), .text(session.reason),
          ])
      }
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      for (ordinal, alert) in record.alerts.enumerated() {
        let deliveries = String(decoding: try encoder.encode(alert.deliveries), as: UTF8.self)
        try await transaction.execute(
          """
          INSERT INTO alerts (analysis_id, ordinal, rule, dedup_key, severity, title, deliveries)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """,
          [
            .text(analysis.id), .integer(ordinal), .text(alert.rule), .text(alert.key),
            .text(alert.severity.rawValue), .text(alert.title), .text(deliveries),
          ])
      }
    }
  }

  private static let analysisColumns =
    "id, owner, input_name, format, config, created_at, run_seconds, records, anomalies, summary"

  private static func analysis(_ row: [SQLValue], charts: String, report: String)
    -> StoredAnalysis
  {
    StoredAnalysis(
      id: row[0].text ?? "", owner: row[1].text ?? "", inputName: row[2].text ?? "",
      format: row[3].text ?? "", config: row[4].text ?? "", createdAt: row[5].real ?? 0,
      runSeconds: row[6].real ?? 0, records: row[7].integer ?? 0, anomalies: row[8].integer ?? 0,
      summary: row[9].text ?? "", charts: charts, report: report)
  }

  /// The analyses, newest first.
  public func analyses(owner: String?, limit: Int, offset: Int) async throws -> [StoredAnalysis] {
    let filter = owner == nil ? "" : "WHERE owner = ? "
    let values: [SQLValue] =
      (owner.map { [.text($0)] } ?? []) + [.integer(max(0, limit)), .integer(max(0, offset))]
    return try await executor.query(
      "SELECT \(Self.analysisColumns) FROM analyses \(filter)ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
      values
    ).map { Self.analysis($0, charts: "", report: "") }
  }

  /// One analysis with its report.
  public func analysis(id: String) async throws -> StoredAnalysis? {
    try await executor.query(
      "SELECT \(Self.analysisColumns), charts, report FROM analyses WHERE id = ?", [.text(id)]
    ).first.map { Self.analysis($0, charts: $0[10].text ?? "[]", report: $0[11].text ?? "") }
  }

  /// A page of findings.
  public func findings(analysis id: String, query: FindingQuery) async throws -> FindingPage {
    var conditions = ["analysis_id = ?"]
    var values: [SQLValue] = [.text(id)]
    if let severity = query.severity {
      conditions.append("severity = ?")
      values.append(.text(severity.rawValue))
    }
    if let search = query.search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
      let escaped =
        search.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
        .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
      let pattern = "%" + escaped + "%"
      conditions.append(
        "(LOWER(message) LIKE ? ESCAPE '\\' OR LOWER(reason) LIKE ? ESCAPE '\\' OR LOWER(COALESCE(component, '')) LIKE ? ESCAPE '\\' OR LOWER(template_id) LIKE ? ESCAPE '\\')"
      )
      values += Array(repeating: .text(pattern), count: 4)
    }
    let filter = conditions.joined(separator: " AND ")
    let order: String
    switch query.order {
    case .line: order = "ordinal"
    case .score: order = "score DESC, ordinal"
    case .severity: order = "severity_rank DESC, score DESC, ordinal"
    }
    let total =
      try await executor.query("SELECT COUNT(*) FROM findings WHERE \(filter)", values).first?
      .first?.integer ?? 0
    let rows = try await executor.query(
      """
      SELECT line, timestamp, level, component, template_id, score, severity, detectors, reason,
        message FROM findings WHERE \(filter) ORDER BY \(order) LIMIT ? OFFSET ?
      """,
      values + [.integer(query.pageSize), .integer((query.page - 1) * query.pageSize)])
    let findings = rows.map { row in
      StoredFinding(
        line: row[0].integer ?? 0, timestamp: row[1].text, level: row[2].text,
        component: row[3].text, templateId: row[4].text ?? "", score: row[5].real ?? 0,
        severity: Severity(rawValue: row[6].text ?? "") ?? .low,
        detectors: (row[7].text ?? "").split(separator: ",").map(String.init),
        reason: row[8].text ?? "", message: row[9].text ?? "")
    }
    return FindingPage(findings: findings, total: total, page: query.page, pageSize: query.pageSize)
  }

  /// The templates, most common first.
  public func templates(analysis id: String) async throws -> [StoredTemplate] {
    try await executor.query(
      """
      SELECT template_id, template, count, first_line, anomalous_count FROM templates
      WHERE analysis_id = ? ORDER BY count DESC, template_id
      """, [.text(id)]
    ).map {
      StoredTemplate(
        templateId: $0[0].text ?? "", template: $0[1].text ?? "", count: $0[2].integer ?? 0,
        firstLine: $0[3].integer ?? 0, anomalousCount: $0[4].integer ?? 0)
    }
  }

  /// The sessions, highest score first.
  public func sessions(analysis id: String) async throws -> [StoredSession] {
    try await executor.query(
      """
      SELECT session, started, ended, records, score, severity, reason FROM sessions
      WHERE analysis_id = ? ORDER BY score DESC, ordinal
      """, [.text(id)]
    ).map {
      StoredSession(
        session: $0[0].text ?? "", start: $0[1].text, end: $0[2].text, records: $0[3].integer ?? 0,
        score: $0[4].real ?? 0, severity: $0[5].text.flatMap(Severity.init(rawValue:)),
        reason: $0[6].text ?? "")
    }
  }

  /// The alerts.
  public func alerts(analysis id: String) async throws -> [AlertRecord] {
    try await executor.query(
      """
      SELECT rule, dedup_key, severity, title, deliveries FROM alerts WHERE analysis_id = ?
      ORDER BY ordinal
      """, [.text(id)]
    ).map {
      AlertRecord(
        rule: $0[0].text ?? "", key: $0[1].text ?? "",
        severity: Severity(rawValue: $0[2].text ?? "") ?? .low, title: $0[3].text ?? "",
        deliveries: (try? JSONDecoder().decode(
          [AlertRecord.Delivery].self, from: Data(($0[4].text ?? "[]").utf8))) ?? [])
    }
  }

  /// Deletes one analysis.
  public func delete(analysis id: String) async throws -> Bool {
    try await executor.transaction { transaction in
      let found = try await transaction.query("SELECT id FROM analyses WHERE id = ?", [.text(id)])
      guard !found.isEmpty else { return false }
      for table in ["findings", "templates", "sessions", "alerts"] {
        try await transaction.execute("DELETE FROM \(table) WHERE analysis_id = ?", [.text(id)])
      }
      try await transaction.execute("DELETE FROM analyses WHERE id = ?", [.text(id)])
      return true
    }
  }

  /// Deletes an owner's analyses.
  public func deleteAll(owner: String) async throws -> Int {
    let ids = try await executor.query("SELECT id FROM analyses WHERE owner = ?", [.text(owner)])
      .compactMap { $0.first?.text }
    var deleted = 0
    for id in ids where try await delete(analysis: id) { deleted += 1 }
    return deleted
  }

  /// Stores a model.
  public func saveModel(name: String, body: String) async throws {
    try await executor.transaction { transaction in
      try await transaction.execute("DELETE FROM models WHERE name = ?", [.text(name)])
      try await transaction.execute(
        "INSERT INTO models (name, created_at, body) VALUES (?, ?, ?)",
        [.text(name), .real(Date().timeIntervalSince1970), .text(body)])
    }
  }

  /// A model's JSON.
  public func model(name: String) async throws -> String? {
    try await executor.query("SELECT body FROM models WHERE name = ?", [.text(name)]).first?
      .first?.text
  }

  /// The models' names.
  public func modelNames() async throws -> [String] {
    try await executor.query("SELECT name FROM models ORDER BY name", []).compactMap {
      $0.first?.text
    }
  }

  /// Appends lines durably.
  public func appendIngest(stream: String, lines: [String], at time: Double) async throws -> Int {
    try await executor.transaction { transaction in
      let last =
        try await transaction.query(
          "SELECT COALESCE(MAX(seq), 0) FROM ingest_lines WHERE stream = ?", [.text(stream)]
        ).first?.first?.integer ?? 0
      var seq = last
      for chunk in stride(from: 0, to: lines.count, by: 300) {
        let slice = lines[chunk..<min(chunk + 300, lines.count)]
        var values: [SQLValue] = []
        for line in slice {
          seq += 1
          values += [.text(stream), .integer(seq), .real(time), .text(line)]
        }
        try await transaction.execute(
          "INSERT INTO ingest_lines (stream, seq, received_at, line) VALUES "
            + Array(repeating: "(?, ?, ?, ?)", count: slice.count).joined(separator: ", "), values)
      }
      return seq
    }
  }

  /// Lines of a stream after `after`.
  public func ingested(stream: String, after: Int, limit: Int) async throws -> [(
    seq: Int, line: String
  )] {
    try await executor.query(
      "SELECT seq, line FROM ingest_lines WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?",
      [.text(stream), .integer(after), .integer(limit)]
    ).map { (seq: $0[0].integer ?? 0, line: $0[1].text ?? "") }
  }

  /// How many lines a stream holds.
  public func ingestedCount(stream: String) async throws -> Int {
    try await executor.query(
      "SELECT COALESCE(MAX(seq), 0) FROM ingest_lines WHERE stream = ?", [.text(stream)]
    ).first?.first?.integer ?? 0
  }

  /// The streams.
  public func streams() async throws -> [(stream: String, lines: Int)] {
    try await executor.query(
      "SELECT stream, COUNT(*) FROM ingest_lines GROUP BY stream ORDER BY stream", []
    ).map { (stream: $0[0].text ?? "", lines: $0[1].integer ?? 0) }
  }

  /// Closes the database.
  public func close() async { await executor.close() }
}
