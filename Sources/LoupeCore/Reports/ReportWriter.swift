import Foundation

/// Writes the files of one analysis into the output directory, as `CLI.md` describes:
/// `STEM_anomalies.csv`, `STEM_anomalies.jsonl`, `STEM_templates.csv`, `STEM_summary.json`,
/// `STEM_summary.csv`, `STEM_report.html`, with `allRecords` `STEM_records.csv`, with sessions
/// `STEM_sessions.csv`, and with `plotsDirectory` each chart as `STEM_CHART.svg` there.
public struct ReportWriter: Sendable {
  /// The output directory.
  public var directory: String
  /// Whether to write `STEM_records.csv`.
  public var allRecords = false
  /// The field that groups records in `STEM_summary.csv` and the heatmaps (`--group-by`);
  /// `nil`: the component (or process, or host).
  public var groupBy: String?
  /// Where each chart is also written as a standalone SVG (`--plots DIR`).
  public var plotsDirectory: String?
  /// The field whose values are the first heatmap's columns (`--heatmap-by`); `nil`: templates.
  public var heatmapBy: String?

  /// Creates a writer for `directory`.
  public init(
    directory: String, allRecords: Bool = false, groupBy: String? = nil,
    plotsDirectory: String? = nil
  ) {
    self.directory = directory
    self.allRecords = allRecords
    self.groupBy = groupBy
    self.plotsDirectory = plotsDirectory
  }

  /// Writes every file for `result`.
  /// - Parameters:
  ///   - result: the analysis.
  ///   - summary: its summary.
  ///   - stem: the file name stem.
  /// - Returns: the paths written.
  /// - Throws: a file-system error when the directory or a file cannot be written.
  @discardableResult
  public func write(_ result: AnalysisResult, summary: AnalysisSummary, stem: String) throws
    -> [String]
  {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    var written: [String] = []
    func save(_ name: String, _ data: Data) throws {
      let path = (directory as NSString).appendingPathComponent("\(stem)_\(name)")
      try data.write(to: URL(fileURLWithPath: path))
      written.append(path)
    }
    // The files are built side by side (the report and the sessions are the big ones), then
    // written in a fixed order.
    let groups = GroupCounts(result, groupBy: groupBy)
    let allRecords = allRecords
    let heatmapBy = heatmapBy
    enum Built: Sendable {
      case file(String, Data)
      case report(HTMLReport)
      case none
      case failure(any Error)
    }
    let builders: [@Sendable () -> Built] = [
      { .file("anomalies.csv", Data(FindingRows(result).csv().utf8)) },
      { .file("anomalies.jsonl", Data(FindingRows(result).jsonLines().utf8)) },
      { .file("templates.csv", Data(self.templatesCSV(result).utf8)) },
      {
        do {
          return .file("summary.json", try summary.json())
        } catch {
          return .failure(error)
        }
      },
      { allRecords ? .file("records.csv", Data(self.recordsCSV(result).utf8)) : .none },
      {
        result.sessions.map { .file("sessions.csv", Data(Self.sessionsCSV($0).utf8)) } ?? .none
      },
      { .file("summary.csv", Data(groups.csv(result).utf8)) },
      {
        .report(HTMLReport(result, summary: summary, groups: groups, heatmapBy: heatmapBy))
      },
    ]
    var report: HTMLReport?
    for built in Parallel.map(builders.count, { builders[$0]() }) {
      switch built {
      case .file(let name, let data): try save(name, data)
      case .report(let html):
        try save("report.html", Data(html.html.utf8))
        report = html
      case .none: break
      case .failure(let error): throw error
      }
    }
    if let plotsDirectory, let report {
      try FileManager.default.createDirectory(
        atPath: plotsDirectory, withIntermediateDirectories: true)
      for chart in report.charts {
        let path = (plotsDirectory as NSString).appendingPathComponent("\(stem)_\(chart.name).svg")
        try Data(chart.svg.utf8).write(to: URL(fileURLWithPath: path))
        written.append(path)
      }
    }
    return written
  }

  /// `STEM_sessions.csv`: every session or window, anomalous or not, so that its scores can be
  /// evaluated: `session,start,end,records,score,severity,anomalous,reason`.
  static func sessionsCSV(_ sessions: SessionAnalysis) -> String {
    var output = "session,start,end,records,score,severity,anomalous,reason\n"
    for result in sessions.results {
      let session = result.session
      let start = session.start.map(TimestampFormatter.iso8601) ?? ""
      let end = session.end.map(TimestampFormatter.iso8601) ?? ""
      output +=
        "\(TextEscaping.csv(SecretScanner.redact(session.key))),\(start),\(end),\(session.records.count),\(FindingRows.format(result.score)),\(result.severity?.rawValue ?? ""),\(result.severity != nil),\(TextEscaping.csv(result.reason))\n"
    }
    return output
  }

  func templatesCSV(_ result: AnalysisResult) -> String {
    var anomalous = [Int](repeating: 0, count: result.templates.templates.count)
    for finding in result.findings { anomalous[result.templates.assignments[finding.record]] += 1 }
    var output = "template_id,template,count,first_line,anomalous_count\n"
    for (index, template) in result.templates.templates.enumerated() {
      output +=
        "\(template.id),\(TextEscaping.csv(SecretScanner.redact(template.text))),\(template.count),\(template.firstLine),\(anomalous[index])\n"
    }
    return output
  }

  func recordsCSV(_ result: AnalysisResult) -> String {
    var findingScore: [Int: Double] = [:]
    for finding in result.findings { findingScore[finding.record] = finding.score }
    let forestScores = result.reports.first { $0.scores != nil }?.scores
    var output = "line,template_id,score,anomalous\n"
    output.reserveCapacity(result.read.records.count * 32)
    for (index, record) in result.read.records.enumerated() {
      let template = result.templates.templates[result.templates.assignments[index]].id
      let score = findingScore[index] ?? forestScores?[index] ?? 0
      output +=
        "\(record.line),\(template),\(FindingRows.format(score)),\(findingScore[index] != nil)\n"
    }
    return output
  }
}

/// The rows of the anomalies files, one per finding.
struct FindingRows {
  let result: AnalysisResult

  init(_ result: AnalysisResult) { self.result = result }

  static func format(_ score: Double) -> String { String(format: "%.4f", score) }

  func csv() -> String {
    var output =
      "line,timestamp,level,component,template_id,score,severity,detectors,reason,message\n"
    for row in FindingRow.rows(result) {
      let finding = row.finding
      let cells = [
        String(row.line), row.timestamp ?? "", row.level ?? "",
        TextEscaping.csv(row.component ?? ""), row.templateId, Self.format(finding.score),
        finding.severity.rawValue, finding.detectors.joined(separator: ";"),
        TextEscaping.csv(finding.reason), TextEscaping.csv(row.message),
      ]
      output += cells.joined(separator: ",") + "\n"
    }
    return output
  }

  func jsonLines() -> String {
    var output = ""
    let buffer = result.read.buffer
    for row in FindingRow.rows(result) {
      let finding = row.finding
      let record = result.read.records[finding.record]
      let parameters = TemplateMiner.parameters(
        of: record, template: result.templates.assignments[finding.record], in: result.templates,
        buffer: buffer)
      var parts: [String] = [
        "\"line\":\(record.line)",
        "\"timestamp\":" + (row.timestamp.map(TextEscaping.json) ?? "null"),
        "\"level\":" + (row.level.map(TextEscaping.json) ?? "null"),
        "\"component\":"
          + (row.component.flatMap { $0.isEmpty ? nil : TextEscaping.json($0) } ?? "null"),
        "\"template_id\":" + TextEscaping.json(row.templateId),
        "\"template\":"
          + TextEscaping.json(
            SecretScanner.redact(
              result.templates.templates[result.templates.assignments[finding.record]].text)),
        "\"score\":" + Self.format(finding.score),
        "\"severity\":" + TextEscaping.json(finding.severity.rawValue),
        "\"detectors\":[" + finding.detectors.map(TextEscaping.json).joined(separator: ",") + "]",
        "\"reason\":" + TextEscaping.json(finding.reason),
        "\"message\":" + TextEscaping.json(row.message),
        "\"parameters\":["
          + SecretScanner.redact(
            parameters, foundIn: buffer.string(FieldMessage.recordText(record, buffer)),
            credentials: record.fields.filter { SecretScanner.isCredentialName($0.name) }.map {
              buffer.string($0.value)
            }
          )
          .map(TextEscaping.json).joined(separator: ",") + "]",
        "\"tags\":[" + finding.tags.map(TextEscaping.json).joined(separator: ",") + "]",
      ]
      if record.lineCount > 1 { parts.append("\"lines\":\(record.lineCount)") }
      let fields = record.fields.map {
        TextEscaping.json($0.name) + ":"
          + TextEscaping.json(SecretScanner.redact(value: buffer.string($0.value), named: $0.name))
      }
      parts.append("\"fields\":{" + fields.joined(separator: ",") + "}")
      output += "{" + parts.joined(separator: ",") + "}\n"
    }
    return output
  }
}
