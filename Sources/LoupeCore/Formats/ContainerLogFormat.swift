/// Kubernetes container logs as the kubelet's runtime writes them (the CRI logging format, in
/// `/var/log/pods/…/*.log` and `/var/log/containers/*.log`): `TIME STREAM TAG content`, where
/// `TIME` is RFC 3339 with nanoseconds, `STREAM` is `stdout` or `stderr` and `TAG` is `F` for a
/// full line or `P` for the part of a line longer than the runtime's buffer.
///
/// The content is the container's own line, in whatever format the program writes — JSON,
/// klog, an application header. That inner format is detected on the input's sample like any
/// other (``FormatDetector``) and each content is read with it (``EmbeddedLine``), so a Go
/// service's `{"level":"error","msg":"…"}` inside a container log is an error with its message.
/// Fields: `stream` and `tag`, then the inner line's. A stack trace's lines join the record
/// they follow, prefixes and all; the parts of a line the runtime split (`P` … `F`) are one
/// record (``SplitLines``).
public struct ContainerLogFormat: LineFormat {
  /// The format the contents are read with, or `nil` to keep them as plain messages.
  public let inner: (any LineFormat)?

  /// `cri`, or `cri+INNER` once the contents' format is known.
  public var name: String { inner.map { "cri+" + $0.name } ?? "cri" }

  /// A stack trace or a Go panic in the contents joins the record it follows, as in the
  /// contents' own format (JSON lines never continue).
  public var joinsContinuationLines: Bool { inner?.joinsContinuationLines ?? true }

  /// Creates the format, reading contents with `inner`.
  public init(inner: (any LineFormat)? = nil) {
    self.inner = inner
  }

  /// Parses one container log line.
  public func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord, _ context: ParseContext
  ) -> Bool {
    guard let prefix = Self.prefix(bytes, record.span, context) else { return false }
    record.timestamp = prefix.time
    record.fields = [
      RecordField("stream", TextRef(prefix.stream)), RecordField("tag", TextRef(prefix.tag)),
    ]
    record.message = TextRef(prefix.content)
    if let inner { EmbeddedLine.merge(inner, bytes, into: &record, context) }
    return true
  }

  /// The content after the prefix, for continuation lines (`… stderr F \tat com.example…`).
  public func prefixedContent(
    _ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, _ context: ParseContext
  ) -> ByteSpan? {
    Self.prefix(bytes, span, context)?.content
  }

  /// The parts of a container log line's prefix.
  struct Prefix {
    var time: Double
    var stream: ByteSpan
    var tag: ByteSpan
    var content: ByteSpan
  }

  /// Reads the prefix of `span`, or `nil` when the line is not a container log line.
  static func prefix(
    _ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, _ context: ParseContext
  ) -> Prefix? {
    var cursor = ByteCursor(bytes, span)
    let time = cursor.readToken()
    // RFC 3339: `2024-01-15T08:00:00.123456789Z` or with an offset.
    guard time.count >= 20, bytes[time.start + 4] == 0x2D, bytes[time.start + 10] == 0x54,
      cursor.consume(0x20)
    else { return nil }
    let stream = cursor.readToken()
    guard isWord(bytes, stream, "stdout") || isWord(bytes, stream, "stderr"), cursor.consume(0x20)
    else { return nil }
    let tag = cursor.readToken()
    guard tag.count == 1, bytes[tag.start] == 0x46 || bytes[tag.start] == 0x50 else { return nil }
    _ = cursor.consume(0x20)
    guard let seconds = context.timestamps.parse(bytes, time) else { return nil }
    return Prefix(time: seconds, stream: stream, tag: tag, content: cursor.rest)
  }

  /// The contents of those of `lines` that are container log lines, for detecting their format.
  static func contents(
    _ bytes: UnsafeBufferPointer<UInt8>, _ lines: [ByteSpan], _ context: ParseContext
  ) -> [ByteSpan] {
    lines.compactMap { prefix(bytes, $0, context)?.content }
  }

  private static func isWord(
    _ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, _ word: StaticString
  ) -> Bool {
    var cursor = ByteCursor(bytes, span)
    return cursor.consume(word) && cursor.atEnd
  }
}
