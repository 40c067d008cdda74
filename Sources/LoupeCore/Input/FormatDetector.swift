/// The format chosen for an input.
public enum DetectedFormat: Sendable {
  /// Lines with a header, parsed one by one.
  case lines(any LineFormat)
  /// A delimited file with a header row.
  case delimited(DelimitedDialect)

  /// The name shown in the summary.
  public var name: String {
    switch self {
    case .lines(let format): format.name
    case .delimited(let dialect): dialect.name
    }
  }
}

/// Chooses an input's format from a sample of its lines.
public enum FormatDetector {
  /// How many lines of the input are sampled.
  public static let sampleLines = 200

  /// Picks the format that parses the most sample lines, breaking ties by specificity.
  ///
  /// A W3C or Zeek file (a `#Fields` directive), an AWS VPC flow log or a delimited file with
  /// a header row is recognised first. Then every line format is tried
  /// on the sample; continuation lines (stack traces) are left out of the count. A format
  /// must parse at least 20% of the sample, else the input is read as ``StampedFormat`` when
  /// half the sample lines start with a timestamp, or as plain text.
  /// - Parameters:
  ///   - bytes: the buffer.
  ///   - lines: the first lines of the input.
  ///   - context: the timestamp parser.
  /// - Returns: the format.
  public static func detect(
    _ bytes: UnsafeBufferPointer<UInt8>, lines: [ByteSpan], context: ParseContext
  ) -> DetectedFormat {
    if let dialect = DelimitedDialect.directed(bytes, lines: lines)
      ?? DelimitedDialect.vpcFlow(bytes, lines: lines)
      ?? DelimitedDialect.detect(bytes, lines: lines, context: context)
    {
      return .delimited(dialect)
    }
    let sample = lines.prefix(sampleLines).filter {
      !$0.isEmpty && !ContinuationLines.isContinuation(bytes, $0, inTraceback: false)
    }
    guard !sample.isEmpty else { return .lines(PlainFormat()) }
    return .lines(refine(bestLineFormat(bytes, sample, context), bytes, lines: sample, context))
  }

  /// The line format that parses the most of `sample` (at least 20% of it), else the fallback.
  static func bestLineFormat(
    _ bytes: UnsafeBufferPointer<UInt8>, _ sample: [ByteSpan], _ context: ParseContext
  ) -> any LineFormat {
    var best: (format: any LineFormat, score: Int, matched: Int)?
    for (format, priority) in FormatCatalog.detectionCandidates {
      var matched = 0
      for (index, span) in sample.enumerated() {
        var record = LogRecord(line: index + 1, span: span)
        if format.parse(bytes, &record, context) && format.isPlausible(bytes, record) {
          matched += 1
        }
        // Give up early on a format that has missed most of the first lines.
        if index == 19 && matched < 4 { break }
      }
      let score = matched * 100 + priority
      if matched > 0, best == nil || score > best?.score ?? 0 {
        best = (format, score, matched)
      }
    }
    guard let best, best.matched * 5 >= sample.count else {
      return fallback(bytes, sample, context)
    }
    return best.format
  }

  /// Completes a format whose messages may be lines of another (``EmbeddedLine``): a container
  /// log gets the format its contents are in, JSON lines the header their messages start with
  /// (Docker's `{"log":"2024-01-15 … ERROR [db] …"}`). Other formats are returned as they are.
  /// - Parameters:
  ///   - format: the format chosen for the input.
  ///   - bytes: the buffer.
  ///   - lines: sample lines of the input.
  ///   - context: the timestamp parser.
  /// - Returns: the format to read the input with.
  public static func refine(
    _ format: any LineFormat, _ bytes: UnsafeBufferPointer<UInt8>, lines: [ByteSpan],
    _ context: ParseContext
  ) -> any LineFormat {
    if let container = format as? ContainerLogFormat, container.inner == nil {
      let contents = ContainerLogFormat.contents(bytes, Array(lines.prefix(sampleLines)), context)
        .filter { !$0.isEmpty && !ContinuationLines.isContinuation(bytes, $0, inTraceback: false) }
      guard !contents.isEmpty else { return container }
      let inner = refine(bestLineFormat(bytes, contents, context), bytes, lines: contents, context)
      return ContainerLogFormat(inner: inner is PlainFormat ? nil : inner)
    }
    if let json = format as? JSONLinesFormat, json.inner == nil {
      var messages: [TextRef] = []
      for (index, span) in lines.prefix(sampleLines).enumerated() {
        var record = LogRecord(line: index + 1, span: span)
        if json.parse(bytes, &record, context), record.message.span != span {
          messages.append(record.message)
        }
      }
      guard let inner = EmbeddedLine.messageFormat(bytes, messages: messages, context) else {
        return json
      }
      return JSONLinesFormat(inner: inner)
    }
    return format
  }

  /// For lines no known format fits: ``StampedFormat`` when at least half of them start with a
  /// timestamp, else ``PlainFormat``.
  static func fallback(
    _ bytes: UnsafeBufferPointer<UInt8>, _ sample: [ByteSpan], _ context: ParseContext
  ) -> any LineFormat {
    let stamped = StampedFormat()
    var matched = 0
    for (index, span) in sample.enumerated() {
      var record = LogRecord(line: index + 1, span: span)
      if stamped.parse(bytes, &record, context) { matched += 1 }
    }
    return matched * 2 >= sample.count ? stamped : PlainFormat()
  }
}
