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

  /// Whether the records' fields are parts of a header format (`loghub:NAME`, `--log-format`:
  /// dates, threads, classes) rather than data the record carries (CSV columns, JSON keys,
  /// logfmt pairs, access-log parts).
  public var fieldsAreHeaderParts: Bool {
    formatName.hasPrefix("loghub:") || formatName == "log-format"
  }
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
      options.logFormat != nil
        || !["csv", "tsv", "delimited"].contains(options.format.lowercased())
    {
      buffer = QuotedLineUnwrapper.unwrap(buffer)
      sampleLines = sample(buffer)
      prefix = "csv-wrapped+"
    }
    if options.logFormat == nil, ["auto", "json"].contains(options.format.lowercased()),
      var document = JSONDocumentReader.read(buffer, context: context)
    {
      capRecordLengths(&document, options.maxRecordBytes)
      return document
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
      SplitLines.join(&result, reading: lineFormat, context: context)
      if lineFormat is JSONLinesFormat { FieldMessage.fillJSONMessages(&result) }
      if lineFormat is CEFFormat || lineFormat is SyslogFormat {
        FieldMessage.fillCEFMessages(&result)
      }
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
        FormatDetector.detect($0, lines: sample, context: context)
      }
    case "csv", "tsv", "delimited":
      let detected = buffer.bytes.withUnsafeBufferPointer {
        DelimitedDialect.detect($0, lines: sample, context: context)
      }
      if name == "tsv" { return .delimited(DelimitedDialect(delimiter: 0x09)) }
      return .delimited(detected ?? DelimitedDialect(delimiter: 0x2C))
    case "w3c", "iis":
      return .delimited(DelimitedDialect(delimiter: 0x20, directive: .w3c))
    case "zeek", "bro":
      return .delimited(DelimitedDialect(delimiter: 0x09, directive: .zeek))
    case "vpc-flow", "vpc":
      let detected = buffer.bytes.withUnsafeBufferPointer {
        DelimitedDialect.vpcFlow($0, lines: sample)
      }
      return .delimited(
        detected
          ?? DelimitedDialect(
            delimiter: 0x20, hasHeader: false, columnNames: DelimitedDialect.vpcDefaultFields,
            label: DelimitedDialect.vpcFlowLabel))
    default:
      guard let format = FormatCatalog.lineFormat(named: name) else {
        throw InputProblem(
          file: buffer.name,
          message:
            "unknown format '\(options.format)'; known: \(FormatCatalog.names.joined(separator: ", "))"
        )
      }
      return .lines(
        buffer.bytes.withUnsafeBufferPointer {
          FormatDetector.refine(format, $0, lines: sample, context)
        })
    }
  }

  /// What parsing one chunk produced; its records are in the shared output array.
  private struct ChunkOutcome: Sendable {
    /// Records written at the start of the chunk's region.
    var written: Int
    /// How many records at the chunk's start continue the previous chunk's last record.
    var leadingContinuations: Int
    var unparsedCount: Int
    var unparsedExamples: [UnparsedLine]
  }

  /// The output array's storage, shared by the chunk jobs; each job writes only its region.
  private struct SharedRecords: @unchecked Sendable {
    let base: UnsafeMutablePointer<LogRecord>
  }

  private static func readLines(
    _ buffer: SourceBuffer, _ format: any LineFormat, _ context: ParseContext,
    _ options: ReadOptions
  ) -> ReadResult {
    let chunks = buffer.bytes.withUnsafeBufferPointer {
      LineFramer.chunks(of: $0, parts: Parallel.coreCount * 2)
    }
    let lines: [[ByteSpan]] = Parallel.map(chunks.count) { chunk in
      buffer.bytes.withUnsafeBufferPointer { LineFramer.lines(in: $0, range: chunks[chunk]) }
    }
    var starts: [Int] = []
    var lineCount = 0
    for chunkLines in lines {
      starts.append(lineCount)
      lineCount += chunkLines.count
    }
    let regionStarts = starts
    var unparsedCount = 0
    var examples: [UnparsedLine] = []
    // Each chunk parses into its own region of one array (one slot per line, so no chunk can
    // overflow), then the regions are closed up in place: no record is copied to a second array.
    let records = [LogRecord](unsafeUninitializedCapacity: lineCount) { storage, initialized in
      guard let base = storage.baseAddress else { return }
      let shared = SharedRecords(base: base)
      let outcomes: [ChunkOutcome] = Parallel.map(chunks.count) { chunk in
        buffer.bytes.withUnsafeBufferPointer { bytes in
          parseChunk(
            bytes, lines[chunk], lineOffset: regionStarts[chunk],
            into: shared.base + regionStarts[chunk], format, context, options, buffer)
        }
      }
      var count = 0
      for (chunk, outcome) in outcomes.enumerated() {
        let region = base + regionStarts[chunk]
        var first = 0
        if count > 0 {
          for orphan in 0..<outcome.leadingContinuations {
            join(region[orphan], into: &base[count - 1])
          }
          (region).deinitialize(count: outcome.leadingContinuations)
          first = outcome.leadingContinuations
        } else {
          // Indented lines at the very start of the input continue nothing: they are unparsed.
          unparsedCount += outcome.leadingContinuations
        }
        let kept = outcome.written - first
        if base + count != region + first {
          (base + count).moveInitialize(from: region + first, count: kept)
        }
        count += kept
        unparsedCount += outcome.unparsedCount
        for example in outcome.unparsedExamples where examples.count < options.unparsedExamples {
          examples.append(example)
        }
      }
      initialized = count
    }
    return ReadResult(
      buffer: buffer, records: records, formatName: format.name, lineCount: lineCount,
      unparsedCount: format is PlainFormat ? records.count : unparsedCount,
      unparsedExamples: examples, audit: nil, problems: [])
  }

  /// Parses one chunk's lines into `output` (which has room for one record per line), joining
  /// continuation lines inside the chunk.
  private static func parseChunk(
    _ bytes: UnsafeBufferPointer<UInt8>, _ lines: [ByteSpan], lineOffset: Int,
    into output: UnsafeMutablePointer<LogRecord>, _ format: any LineFormat,
    _ context: ParseContext, _ options: ReadOptions, _ buffer: SourceBuffer
  ) -> ChunkOutcome {
    // Lines that miss the format but hold a JSON object (exporters mix the two) are read as
    // JSON.
    let embeddedJSON: (any LineFormat)? = format is JSONLinesFormat ? nil : JSONLinesFormat()
    let joins = format.joinsContinuationLines
    var outcome = ChunkOutcome(
      written: 0, leadingContinuations: 0, unparsedCount: 0, unparsedExamples: [])
    var inTraceback = false
    var leading = true
    for (index, span) in lines.enumerated() where !span.isEmpty {
      let line = lineOffset + index + 1
      var record = LogRecord(line: line, span: span)
      // A prefixed continuation (a container's stack trace) parses, but continues a record.
      let content = joins ? format.prefixedContent(bytes, span, context) : nil
      let prefixedContinuation =
        content.map { ContinuationLines.isContinuation(bytes, $0, inTraceback: inTraceback) }
        ?? false
      var parsed = !prefixedContinuation && format.parse(bytes, &record, context)
      if !parsed, let embeddedJSON, bytes[span.start] == 0x7B {
        record = LogRecord(line: line, span: span)
        parsed = embeddedJSON.parse(bytes, &record, context)
      }
      if parsed {
        leading = false
        inTraceback = content.map { ContinuationLines.opensTraceback(bytes, $0) } ?? false
        (output + outcome.written).initialize(to: record)
        outcome.written += 1
        continue
      }
      record = LogRecord(line: line, span: span)
      record.parsed = false
      let judged = prefixedContinuation ? content ?? span : span
      if joins,
        prefixedContinuation
          || ContinuationLines.isContinuation(bytes, span, inTraceback: inTraceback)
      {
        if ContinuationLines.opensTraceback(bytes, judged) { inTraceback = true }
        if leading {
          // The record it continues is in the previous chunk; the merge joins it.
          outcome.leadingContinuations += 1
          (output + outcome.written).initialize(to: record)
          outcome.written += 1
        } else if outcome.written > 0 {
          join(record, into: &output[outcome.written - 1])
        }
        continue
      }
      leading = false
      inTraceback = ContinuationLines.opensTraceback(bytes, span)
      outcome.unparsedCount += 1
      if outcome.unparsedExamples.count < options.unparsedExamples {
        let text = buffer.string(TextRef(ByteSpan(span.start, min(span.end, span.start + 200))))
        outcome.unparsedExamples.append(UnparsedLine(line: line, text: text))
      }
      (output + outcome.written).initialize(to: record)
      outcome.written += 1
    }
    return outcome
  }

  /// Extends `record` over the continuation line `continuation`.
  private static func join(_ continuation: LogRecord, into record: inout LogRecord) {
    record.span.end = continuation.span.end
    record.lineCount = continuation.line - record.line + 1
    if record.message.encoding == .raw, record.message.span.end <= continuation.span.start {
      record.message.span.end = continuation.span.end
    }
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
            message: "a \(record.message.span.count)-byte record; analysed its first \(limit) bytes"
          ))
      }
    }
  }

  private static func countLines(_ bytes: [UInt8]) -> Int {
    bytes.withUnsafeBufferPointer { LineFramer.lines(in: $0, range: 0..<$0.count).count }
  }
}
