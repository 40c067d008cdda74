/// How to read inputs.
public struct ReadOptions: Sendable {
  /// `auto`, or a format name from ``FormatCatalog/names``.
  public var format: String = "auto"
  /// A LOGPAI header format; when set it overrides `format`.
  public var logFormat: String?
  /// The year assumed for timestamps without one; `nil` takes the input's modification year.
  public var defaultYear: Int?
  /// Records longer than this are cut to this many bytes for analysis.
  public var maxRecordBytes: Int = 1 << 20
  /// How many unparsed lines are kept as examples.
  public var unparsedExamples: Int = 5

  /// Creates options with the defaults.
  public init() {}
}

/// Everything read from one input.
public struct ReadResult: Sendable {
  /// The bytes the records refer to.
  public var buffer: SourceBuffer
  /// The records, in input order.
  public var records: [LogRecord]
  /// The format's name (`syslog`, `csv`, `loghub:HDFS`, …), with `csv-wrapped+` in front when
  /// lines were unwrapped from quoted CSV fields.
  public var formatName: String
  /// Physical lines in the input.
  public var lineCount: Int
  /// Records that did not match the format (kept as plain messages).
  public var unparsedCount: Int
  /// The first unparsed lines, as `(line, text)`.
  public var unparsedExamples: [UnparsedLine]
  /// The data audit, for delimited files.
  public var audit: DataAudit?
  /// Problems found while reading (each names the file and, where it applies, the line).
  public var problems: [InputProblem]
}

/// A line that matched no format, kept as an example for the summary.
public struct UnparsedLine: Sendable, Codable, Hashable {
  /// The 1-based line number.
  public var line: Int
  /// The line's text (cut to 200 characters).
  public var text: String
}

/// Reads an input into records: detects (or takes) the format, parses lines on all cores,
/// joins continuation lines, and cuts overlong records.
public enum RecordReader {
  /// Reads `source`.
  /// - Parameters:
  ///   - source: the input's bytes.
  ///   - options: format and limits.
  /// - Returns: the records and what was learned about the input.
  /// - Throws: ``InputProblem`` when the input holds no text to analyse (binary data) or the
  ///   `--log-format` / `--format` is invalid.
  public static func read(_ source: SourceBuffer, options: ReadOptions) throws(InputProblem)
    -> ReadResult
  {
    let context = ParseContext(defaultYear: options.defaultYear ?? 1970)
    if BinarySniffer.isBinary(source.bytes) {
      throw InputProblem(file: source.name, message: "binary data, not a text log; skipped")
    }
    var buffer = source
    var prefix = ""
    var sampleLines = sample(buffer)
    if buffer.bytes.withUnsafeBufferPointer({ QuotedLineUnwrapper.isWrapped($0, sampleLines) }),
      options.format == "auto" || options.logFormat != nil
    {
      buffer = QuotedLineUnwrapper.unwrap(buffer)
      sampleLines = sample(buffer)
      prefix = "csv-wrapped+"
    }
    let format = try chooseFormat(buffer, sampleLines, options, context)
    var result: ReadResult
    switch format {
    case .delimited(let dialect):
      let delimited = DelimitedReader.read(buffer, dialect: dialect, context: context)
      result = ReadResult(
        buffer: delimited.buffer, records: delimited.records, formatName: format.name,
        lineCount: countLines(buffer.bytes), unparsedCount: 0, unparsedExamples: [],
        audit: delimited.audit, problems: delimited.problems)
    case .lines(let lineFormat):
      result = readLines(buffer, lineFormat, context, options)
      result.formatName = prefix + lineFormat.name
    }
    capRecordLengths(&result, options.maxRecordBytes)
    return result
  }

  private static func sample(_ buffer: SourceBuffer) -> [ByteSpan] {
    buffer.bytes.withUnsafeBufferPointer { bytes in
      let limit = min(bytes.count, 1 << 18)
      var lines = LineFramer.lines(in: bytes, range: 0..<limit)
      // The last line may be cut by the sample limit.
      if limit < bytes.count, lines.count > 1 { lines.removeLast() }
      return Array(lines.prefix(FormatDetector.sampleLines))
    }
  }

  private static func chooseFormat(
    _ buffer: SourceBuffer, _ sample: [ByteSpan], _ options: ReadOptions, _ context: ParseContext
  ) throws(InputProblem) -> DetectedFormat {
    if let logFormat = options.logFormat {
      do {
        return .lines(try HeaderPatternFormat(name: "log-format", format: logFormat))
      } catch {
        throw InputProblem(file: buffer.name, message: error.description)
      }
    }
    let name = options.format.lowercased()
    switch name {
    case "auto":
      return buffer.bytes.withUnsafeBufferPointer {
        FormatDetector.detect($0, lines: sample, context: context).format
      }
    case "csv", "tsv", "delimited":
      let detected = buffer.bytes.withUnsafeBufferPointer {
        DelimitedDialect.detect($0, lines: sample, context: context)
      }
      if name == "tsv" { return .delimited(DelimitedDialect(delimiter: 0x09)) }
      return .delimited(detected ?? DelimitedDialect(delimiter: 0x2C))
    default:
      guard let format = FormatCatalog.lineFormat(named: name) else {
        throw InputProblem(
          file: buffer.name,
          message: "unknown format '\(options.format)'; known: \(FormatCatalog.names.joined(separator: ", "))")
      }
      return .lines(format)
    }
  }

  private static func readLines(
    _ buffer: SourceBuffer, _ format: any LineFormat, _ context: ParseContext, _ options: ReadOptions
  ) -> ReadResult {
    let chunks = buffer.bytes.withUnsafeBufferPointer {
      LineFramer.chunks(of: $0, parts: Parallel.coreCount * 2)
    }
    struct ChunkResult: Sendable {
      var records: [LogRecord]
      var lines: Int
    }
    // Lines that miss the format but hold a JSON object (exporters mix the two) are read as
    // JSON.
    let embeddedJSON: (any LineFormat)? = format is JSONLinesFormat ? nil : JSONLinesFormat()
    let parsed: [ChunkResult] = Parallel.map(chunks.count) { chunkIndex in
      buffer.bytes.withUnsafeBufferPointer { bytes in
        let lines = LineFramer.lines(in: bytes, range: chunks[chunkIndex])
        var records: [LogRecord] = []
        records.reserveCapacity(lines.count)
        for (index, span) in lines.enumerated() where !span.isEmpty {
          var record = LogRecord(line: index + 1, span: span)
          if !format.parse(bytes, &record, context) {
            record = LogRecord(line: index + 1, span: span)
            if let embeddedJSON, bytes[span.start] == 0x7B, embeddedJSON.parse(bytes, &record, context) {
              records.append(record)
              continue
            }
            record = LogRecord(line: index + 1, span: span)
            record.parsed = false
          }
          records.append(record)
        }
        return ChunkResult(records: records, lines: lines.count)
      }
    }
    var records: [LogRecord] = []
    records.reserveCapacity(parsed.reduce(0) { $0 + $1.records.count })
    var unparsedCount = 0
    var examples: [UnparsedLine] = []
    var lineOffset = 0
    var inTraceback = false
    let joins = format.joinsContinuationLines
    buffer.bytes.withUnsafeBufferPointer { bytes in
      for chunk in parsed {
        for var record in chunk.records {
          record.line += lineOffset
          if !record.parsed, joins, let last = records.indices.last,
            ContinuationLines.isContinuation(bytes, record.span, inTraceback: inTraceback)
          {
            if ContinuationLines.opensTraceback(bytes, record.span) { inTraceback = true }
            records[last].span.end = record.span.end
            records[last].lineCount = record.line - records[last].line + 1
            if records[last].message.encoding == .raw, records[last].message.span.end <= record.span.start {
              records[last].message.span.end = record.span.end
            }
            continue
          }
          inTraceback = ContinuationLines.opensTraceback(bytes, record.span)
          if !record.parsed {
            unparsedCount += 1
            if examples.count < options.unparsedExamples {
              let text = buffer.string(TextRef(ByteSpan(record.span.start, min(record.span.end, record.span.start + 200))))
              examples.append(UnparsedLine(line: record.line, text: text))
            }
          }
          records.append(record)
        }
        lineOffset += chunk.lines
      }
    }
    return ReadResult(
      buffer: buffer, records: records, formatName: format.name, lineCount: lineOffset,
      unparsedCount: format is PlainFormat ? records.count : unparsedCount,
      unparsedExamples: examples, audit: nil, problems: [])
  }

  private static func capRecordLengths(_ result: inout ReadResult, _ limit: Int) {
    var reported = 0
    for index in result.records.indices where result.records[index].message.span.count > limit {
      let record = result.records[index]
      result.records[index].message.span.end = record.message.span.start + limit
      reported += 1
      if reported <= 5 {
        result.problems.append(
          InputProblem(
            file: result.buffer.name, line: record.line,
            message: "a \(record.message.span.count)-byte record; analysed its first \(limit) bytes"))
      }
    }
  }

  private static func countLines(_ bytes: [UInt8]) -> Int {
    bytes.withUnsafeBufferPointer { LineFramer.lines(in: $0, range: 0..<$0.count).count }
  }
}
