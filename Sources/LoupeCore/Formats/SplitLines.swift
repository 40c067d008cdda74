/// A container runtime writes a line longer than its buffer (16 KiB) as parts. Read line by
/// line, a long JSON event becomes two or more records that are each a piece of an object,
/// neither with its level or its message. ``join(_:reading:with:context:)`` puts each line back
/// together, for the two files runtimes write:
///
/// - The CRI format (``ContainerLogFormat``): every part but the last is tagged `P`, the last
///   `F`.
/// - Docker's JSON log file: each part is an object of its own, `{"log":"…","stream":…}`, and
///   only the last part's `log` ends with the line's `\n`. A part is one without it — in a file
///   where most `log` values have it, so that a shipper that strips the line ends does not
///   make every line a part.
///
/// The contents of a part and of the records of the same stream that continue it, up to and
/// including the one that ends the line, are written one after another into the first part's
/// line (its prefix or its object) after the input's bytes, where they still count as its text
/// (``SourceBuffer/inputByteCount``), and that line is parsed as one. The joined record keeps
/// the first part's line number and time and covers the physical lines up to its last part; the
/// other stream's records in between stay where they are. A part whose line is never finished
/// (the file ends, or no record of its stream follows within ``maximumDistance``) is kept as it
/// is.
enum SplitLines {
  /// How many records further the next part of a line may be (the other stream's lines can
  /// come between a line's parts).
  static let maximumDistance = 16

  /// One physical line's part of a logical line.
  struct Part {
    /// Whether the line goes on in a later part.
    var continues: Bool
    /// The stream the part was written to (`stdout`, `stderr`).
    var stream: ByteSpan
  }

  /// How one format's lines are cut into parts and written back whole.
  struct Dialect {
    /// The part a parsed record is, or `nil` when it is not one (read from its fields: this
    /// runs on every record).
    var part: (UnsafeBufferPointer<UInt8>, LogRecord) -> Part?
    /// A part's piece of the line (only for the records of a split line).
    var content: (UnsafeBufferPointer<UInt8>, LogRecord) -> ByteSpan?
    /// Writes the whole line: the first part's record, and the parts' contents.
    var write:
      (UnsafeBufferPointer<UInt8>, _ first: LogRecord, _ contents: [ByteSpan], inout [UInt8])
        -> Void
  }

  /// Joins the parts of split lines in records read with `format`, when it is a format that
  /// runtimes split lines in.
  static func join(
    _ result: inout ReadResult, reading format: any LineFormat, context: ParseContext
  ) {
    if format is ContainerLogFormat {
      join(&result, with: cri(context), format: format, context: context)
    } else if format is JSONLinesFormat, isDockerFile(result) {
      join(&result, with: docker, format: format, context: context)
    }
  }

  /// The CRI format's parts: the tag says whether the line goes on.
  static func cri(_ context: ParseContext) -> Dialect {
    Dialect(
      part: { bytes, record in
        guard let tag = record.field("tag"), !tag.span.isEmpty, let stream = record.field("stream")
        else { return nil }
        return Part(continues: bytes[tag.span.start] == 0x50, stream: stream.span)
      },
      content: { bytes, record in ContainerLogFormat.prefix(bytes, record.span, context)?.content },
      write: { bytes, first, contents, made in
        guard let prefix = ContainerLogFormat.prefix(bytes, first.span, context) else { return }
        made.append(
          contentsOf: UnsafeBufferPointer(rebasing: bytes[first.span.start..<prefix.tag.start]))
        made.append(contentsOf: "F ".utf8)
        for content in contents {
          made.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[content.start..<content.end]))
        }
      })
  }

  /// Docker's parts: a `log` value without its line end goes on. The contents are the values'
  /// escaped bytes, which join into one valid string.
  static var docker: Dialect {
    Dialect(
      part: { bytes, record in
        guard let log = record.field("log"), let stream = record.field("stream") else { return nil }
        let line = JSONLinesFormat.withoutTrailingNewlines(log, bytes)
        return Part(continues: line.span == log.span, stream: stream.span)
      },
      content: { _, record in record.field("log")?.span },
      write: { bytes, first, contents, made in
        guard let log = first.field("log")?.span else { return }
        made.append(
          contentsOf: UnsafeBufferPointer(rebasing: bytes[first.span.start..<log.start]))
        for content in contents {
          made.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[content.start..<content.end]))
        }
        made.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[log.end..<first.span.end]))
      })
  }

  /// Whether JSON records are Docker's log file's, with line ends kept: most of the records
  /// that have `log` and `stream` have a `log` ending in `\n`.
  static func isDockerFile(_ result: ReadResult) -> Bool {
    result.buffer.bytes.withUnsafeBufferPointer { bytes in
      var parts = 0
      var ended = 0
      for record in result.records.prefix(10_000) {
        guard let part = docker.part(bytes, record) else { continue }
        parts += 1
        if !part.continues { ended += 1 }
      }
      return parts > 0 && 2 * ended > parts
    }
  }

  private static func join(
    _ result: inout ReadResult, with dialect: Dialect, format: any LineFormat,
    context: ParseContext
  ) {
    let source = result.buffer
    let records = result.records
    // Each group: the records of one line's parts, in order.
    var groups: [[(record: Int, part: Part)]] = []
    source.bytes.withUnsafeBufferPointer { bytes in
      var taken = Set<Int>()
      func part(_ index: Int) -> Part? {
        let record = records[index]
        guard record.parsed, record.lineCount == 1, !taken.contains(index) else { return nil }
        return dialect.part(bytes, record)
      }
      for index in records.indices {
        guard let first = part(index), first.continues else { continue }
        var group = [(record: index, part: first)]
        var cursor = index + 1
        while let last = group.last, last.part.continues, cursor < records.count,
          cursor - last.record <= maximumDistance
        {
          if let next = part(cursor),
            bytes[next.stream.start..<next.stream.end]
              .elementsEqual(bytes[last.part.stream.start..<last.part.stream.end])
          {
            group.append((cursor, next))
          }
          cursor += 1
        }
        guard group.count > 1 else { continue }
        groups.append(group)
        for member in group { taken.insert(member.record) }
      }
    }
    guard !groups.isEmpty else { return }
    var made = source.bytes
    var madeSpans: [ByteSpan] = []
    source.bytes.withUnsafeBufferPointer { bytes in
      for group in groups {
        let start = made.count
        let contents = group.compactMap { dialect.content(bytes, records[$0.record]) }
        dialect.write(bytes, records[group[0].record], contents, &made)
        madeSpans.append(ByteSpan(start, made.count))
      }
    }
    // The joined lines are the input's text, put back together: not messages Loupe made.
    let buffer = SourceBuffer(
      name: source.name, bytes: made, wasCompressed: source.wasCompressed,
      inputByteCount: made.count)
    var removed = Set<Int>()
    buffer.bytes.withUnsafeBufferPointer { bytes in
      for (group, span) in zip(groups, madeSpans) {
        guard let first = group.first?.record, let last = group.last?.record else { continue }
        var record = LogRecord(line: records[first].line, span: span)
        guard format.parse(bytes, &record, context) else { continue }
        record.span = ByteSpan(records[first].span.start, records[last].span.end)
        record.lineCount = records[last].line - record.line + 1
        result.records[first] = record
        for member in group.dropFirst() { removed.insert(member.record) }
      }
    }
    result.buffer = buffer
    result.records = records.indices.filter { !removed.contains($0) }.map { result.records[$0] }
  }
}
