/// One finding with its record's columns as every output shows them — the anomalies files,
/// the store, the web pages: log text with secrets redacted, times in ISO 8601.
public struct FindingRow: Sendable {
  /// The finding.
  public var finding: Finding
  /// The record's first line.
  public var line: Int
  /// The record's time, ISO 8601.
  public var timestamp: String?
  /// The record's level name.
  public var level: String?
  /// The component (or process) that wrote it, redacted.
  public var component: String?
  /// Its template's id.
  public var templateId: String
  /// The message, redacted.
  public var message: String

  /// The rows of an analysis's findings, in the findings' order.
  public static func rows(_ result: AnalysisResult) -> [FindingRow] {
    let buffer = result.read.buffer
    return result.findings.map { finding in
      let record = result.read.records[finding.record]
      return FindingRow(
        finding: finding, line: record.line,
        timestamp: record.timestamp.map(TimestampFormatter.iso8601), level: record.level?.name,
        component: (record.component ?? record.process).map {
          SecretScanner.redact(buffer.string($0))
        },
        templateId: result.templates.templates[result.templates.assignments[finding.record]].id,
        message: FieldMessage.shownText(record, buffer))
    }
  }
}
