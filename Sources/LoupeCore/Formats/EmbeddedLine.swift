/// A log line carried as another format's message: an application's own line inside a
/// Kubernetes container log (``ContainerLogFormat``) or inside Docker's JSON log file
/// (`{"log":"2024-01-15 08:00:00,123 ERROR [db] Connection refused\n",…}`).
///
/// The wrapper gives the record its place and, usually, its time; the inner line gives what the
/// wrapper does not know — the level, the component, the process — and the real message, so
/// that templates are not split by the inner header and an error logged inside a container is
/// an error.
public enum EmbeddedLine {
  /// The formats an inner line of a JSON message is tried with: headers that name a level, so
  /// that ordinary text in a message is never taken for a header.
  static let messageCandidates: [any LineFormat] = [KlogFormat(), ApplicationLogFormat()]

  /// Parses the message of `record` with `inner` and merges what it finds: the wrapper's own
  /// time, level, component, host, process and pid win; the inner line fills the ones the
  /// wrapper lacks, adds its fields after the wrapper's and gives the message (in the wrapper's
  /// encoding: a JSON string keeps its escapes).
  /// - Returns: whether the message was a line of `inner`.
  @discardableResult
  static func merge(
    _ inner: any LineFormat, _ bytes: UnsafeBufferPointer<UInt8>, into record: inout LogRecord,
    _ context: ParseContext
  ) -> Bool {
    let outer = record.message
    guard !outer.span.isEmpty else { return false }
    var line = LogRecord(line: record.line, span: outer.span)
    guard inner.parse(bytes, &line, context) else { return false }
    record.timestamp = record.timestamp ?? line.timestamp
    record.level = record.level ?? line.level
    record.component = record.component ?? line.component
    record.host = record.host ?? line.host
    record.process = record.process ?? line.process
    record.pid = record.pid ?? line.pid
    record.fields += line.fields
    record.message = TextRef(line.message.span, outer.encoding)
    return true
  }

  /// The format most of `messages` are lines of, among ``messageCandidates``: one that parses
  /// at least half of them (and finds them plausible), or `nil`.
  static func messageFormat(
    _ bytes: UnsafeBufferPointer<UInt8>, messages: [TextRef], _ context: ParseContext
  ) -> (any LineFormat)? {
    let spans = messages.map(\.span).filter { !$0.isEmpty }
    guard !spans.isEmpty else { return nil }
    var best: (format: any LineFormat, matched: Int)?
    for format in messageCandidates {
      var matched = 0
      for (index, span) in spans.enumerated() {
        var line = LogRecord(line: index + 1, span: span)
        if format.parse(bytes, &line, context), format.isPlausible(bytes, line) { matched += 1 }
      }
      if matched > best?.matched ?? 0 { best = (format, matched) }
    }
    guard let best, best.matched * 2 >= spans.count else { return nil }
    return best.format
  }
}
