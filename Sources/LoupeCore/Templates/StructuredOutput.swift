import Foundation

/// Writes mining results in the Loghub layout: `LineId,<header fields>,Content,EventId,
/// EventTemplate` for each record and `EventId,EventTemplate,Occurrences` for the templates.
/// Rows are written as bytes straight from the input, escaped for CSV where needed.
public enum StructuredOutput {
  /// The header fields written before `Content`: a LOGPAI format's own fields, otherwise
  /// `Timestamp,Level,Component`.
  static func headerFields(_ read: ReadResult) -> [String]? {
    guard read.formatName.hasPrefix("loghub:") || read.formatName == "log-format" else {
      return nil
    }
    return read.records.first(where: \.parsed)?.fields.map(\.name)
  }

  /// Writes the structured CSV to `path`.
  /// - Throws: ``LineWriter/WriteError`` when the file cannot be written.
  public static func writeRecords(
    _ read: ReadResult, _ templates: TemplateMiner.Result, to path: String
  )
    throws(LineWriter.WriteError)
  {
    var output = try LineWriter(path: path)
    let fields = headerFields(read)
    output.append(
      "LineId," + (fields ?? ["Timestamp", "Level", "Component"]).joined(separator: ",")
        + ",Content,EventId,EventTemplate")
    try output.endLine()
    // Each template's `,id,text` once.
    let templateCells: [[UInt8]] = templates.templates.map { template in
      Array(("," + template.id + "," + TextEscaping.csv(template.text)).utf8)
    }
    var lookups = (fields ?? []).map { FieldLookup($0) }
    var scratch: [UInt8] = []
    read.buffer.bytes.withUnsafeBufferPointer { bytes in
      for (index, record) in read.records.enumerated() {
        output.append(record.line)
        if fields != nil {
          for field in lookups.indices {
            output.append(byte: 0x2C)
            if let value = lookups[field].value(in: record) {
              appendCell(value, bytes, read.buffer, &scratch, &output)
            }
          }
        } else {
          output.append(byte: 0x2C)
          if let timestamp = record.timestamp {
            output.append(TimestampFormatter.iso8601(timestamp))
          }
          output.append(byte: 0x2C)
          if let level = record.level { output.append(level.name) }
          output.append(byte: 0x2C)
          if let component = record.component {
            appendCell(component, bytes, read.buffer, &scratch, &output)
          }
        }
        output.append(byte: 0x2C)
        appendCell(record.message, bytes, read.buffer, &scratch, &output)
        output.append(templateCells[templates.assignments[index]])
        try? output.endLine()
      }
    }
    try output.close()
  }

  /// Appends one CSV cell holding `text`, quoted when it holds a comma, quote or line break.
  private static func appendCell(
    _ text: TextRef, _ bytes: UnsafeBufferPointer<UInt8>, _ buffer: SourceBuffer,
    _ scratch: inout [UInt8],
    _ output: inout LineWriter
  ) {
    scratch.removeAll(keepingCapacity: true)
    if text.encoding == .raw {
      scratch.append(
        contentsOf: UnsafeBufferPointer(rebasing: bytes[text.span.start..<text.span.end]))
    } else {
      scratch.append(contentsOf: buffer.decodedBytes(text))
    }
    guard scratch.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
      output.append(scratch)
      return
    }
    output.append(byte: 0x22)
    for byte in scratch {
      output.append(byte: byte)
      if byte == 0x22 { output.append(byte: 0x22) }
    }
    output.append(byte: 0x22)
  }

  /// Writes the templates CSV to `path`.
  /// - Throws: ``LineWriter/WriteError`` when the file cannot be written.
  public static func writeTemplates(_ templates: TemplateMiner.Result, to path: String)
    throws(LineWriter.WriteError)
  {
    var output = try LineWriter(path: path)
    output.append("EventId,EventTemplate,Occurrences")
    try output.endLine()
    for template in templates.templates {
      output.append("\(template.id),\(TextEscaping.csv(template.text)),\(template.count)")
      try output.endLine()
    }
    try output.close()
  }
}
