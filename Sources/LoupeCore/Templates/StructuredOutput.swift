import Foundation

/// Writes mining results in the Loghub layout: `LineId,<header fields>,Content,EventId,
/// EventTemplate` for each record and `EventId,EventTemplate,Occurrences` for the templates.
public enum StructuredOutput {
  /// The header fields written before `Content`: a LOGPAI format's own fields, otherwise
  /// `Timestamp,Level,Component`.
  static func headerFields(_ read: ReadResult) -> [String]? {
    guard read.formatName.hasPrefix("loghub:") || read.formatName == "log-format" else {
      return nil
    }
    return read.records.first(where: \.parsed)?.fields.map(\.name)
  }

  /// The structured CSV text.
  public static func records(_ read: ReadResult, _ templates: TemplateMiner.Result) -> String {
    let buffer = read.buffer
    let fields = headerFields(read)
    var output =
      "LineId," + (fields ?? ["Timestamp", "Level", "Component"]).joined(separator: ",")
      + ",Content,EventId,EventTemplate\n"
    output.reserveCapacity(read.records.count * 120)
    var lookups = (fields ?? []).map { FieldLookup($0) }
    for (index, record) in read.records.enumerated() {
      output += String(record.line)
      if fields != nil {
        for field in lookups.indices {
          output += ","
          output += TextEscaping.csv(
            lookups[field].value(in: record).map { buffer.string($0) } ?? "")
        }
      } else {
        output += "," + (record.timestamp.map(TimestampFormatter.iso8601) ?? "")
        output += "," + (record.level?.name ?? "")
        output += "," + TextEscaping.csv(record.component.map { buffer.string($0) } ?? "")
      }
      let template = templates.templates[templates.assignments[index]]
      output +=
        "," + TextEscaping.csv(buffer.string(record.message)) + "," + template.id + ","
        + TextEscaping.csv(template.text) + "\n"
    }
    return output
  }

  /// The templates CSV text.
  public static func templates(_ templates: TemplateMiner.Result) -> String {
    var output = "EventId,EventTemplate,Occurrences\n"
    for template in templates.templates {
      output += "\(template.id),\(TextEscaping.csv(template.text)),\(template.count)\n"
    }
    return output
  }
}
