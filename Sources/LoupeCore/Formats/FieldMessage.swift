/// The message of a record that carries none of its own — a CSV row without a message column,
/// a JSON object without a message field — made of its fields as `name=value` pairs, so that
/// templates group such records by what they say (an action, a method, an outcome) rather than
/// lumping every record into one template.
///
/// Such messages are appended after the input's bytes (``SourceBuffer/inputByteCount``); the
/// record's own text is still its line (``recordText(_:_:)``): the reports show it, and secrets,
/// `--session-key` patterns and custom rules' keywords and patterns are searched in it.
///
/// For JSON (``fillJSONMessages(_:)``) a field is part of the message by its name and its own
/// value, so that a record gets the same message whatever the records around it (as `watch` and
/// the ingest API read a few lines at a time): string, boolean and array values, but not
///
/// - a value that is a number, empty, `-` or `null` (measurements are the record's features);
/// - the fields that fill the record's time, level, component, host and pid (shown and judged
///   on their own, as for a JSON record that has a message);
/// - identifiers by name (``ColumnProfile/isIdentifierName(_:)``: `id`, `request_id`, `traceId`…);
/// - who asked: the client address, user agent and referrer of a request (as the access-log
///   parser's message leaves them out; their rarity is judged as field values).
///
/// A record without any such field keeps its whole line as its message.
public enum FieldMessage {
  /// Names of a request's referrer, which ``RequestField`` does not judge.
  static let referrerNames: Set<String> = [
    "referrer", "referer", "http_referer", "http_referrer", "http.referrer", "http.referer",
    "http.request.referrer", "cs(Referer)", "cs_referer",
  ]

  /// Names of a request's client and user agent, and of its referrer.
  static let requesterNames: Set<String> = referrerNames.union(
    RequestField.client.names + RequestField.userAgent.names)

  /// The record's own text, which reports show and patterns search: its message, or its whole
  /// text where the message was made from its fields.
  /// - Parameters:
  ///   - record: the record.
  ///   - buffer: the buffer it refers to.
  public static func recordText(_ record: LogRecord, _ buffer: SourceBuffer) -> TextRef {
    buffer.isSynthesized(record.message) ? TextRef(record.span) : record.message
  }

  /// The record's own text as outputs show it: secrets redacted (``SecretScanner``), and so
  /// are the values of fields named for credentials that lie in it — a CSV row's `password`
  /// column, which no pattern in the row's text would reveal.
  /// - Parameters:
  ///   - record: the record.
  ///   - buffer: the buffer it refers to.
  ///   - whole: show the record's whole line (header included), not only its own text.
  public static func shownText(_ record: LogRecord, _ buffer: SourceBuffer, whole: Bool = false)
    -> String
  {
    let text = whole ? TextRef(record.span) : recordText(record, buffer)
    let credentials = record.fields.filter {
      $0.value.span.start >= text.span.start && $0.value.span.end <= text.span.end
        && !$0.value.span.isEmpty && SecretScanner.isCredentialName($0.name)
    }.map(\.value.span).sorted { $0.start < $1.start }
    guard !credentials.isEmpty else { return SecretScanner.redact(buffer.string(text)) }
    var bytes: [UInt8] = []
    var position = text.span.start
    for span in credentials where span.start >= position {
      bytes += buffer.bytes[position..<span.start]
      bytes += Array("[REDACTED:password]".utf8)
      position = span.end
    }
    bytes += buffer.bytes[position..<text.span.end]
    let shown = SourceBuffer(name: buffer.name, bytes: bytes)
    return SecretScanner.redact(shown.string(TextRef(ByteSpan(0, bytes.count), text.encoding)))
  }

  /// Appends `name=value`, after a space unless `bytes` ends at `start`, with `value`'s escaping
  /// undone.
  static func appendPair(
    _ name: String, _ value: TextRef, from buffer: SourceBuffer,
    _ input: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8], start: Int
  ) {
    if bytes.count > start { bytes.append(0x20) }
    bytes.append(contentsOf: name.utf8)
    bytes.append(0x3D)
    if buffer.isVerbatim(value, input) {
      bytes.append(
        contentsOf: UnsafeBufferPointer(rebasing: input[value.span.start..<value.span.end]))
    } else {
      bytes.append(contentsOf: buffer.decodedBytes(value))
    }
  }

  /// Gives every JSON object read without a message field a message made of its fields.
  /// - Parameter read: records read with ``JSONLinesFormat``; its buffer is replaced by one
  ///   holding the made messages after the input's bytes.
  static func fillJSONMessages(_ read: inout ReadResult) {
    fillMessages(&read) { record in
      record.parsed && !record.fields.isEmpty && record.message.span == record.span
    }
  }

  /// Gives every CEF event (``CEFMessage``) a message made of its fields, as for JSON: its
  /// name, vendor, product, signature and its extension's words (`act=deny`), so that templates
  /// group events by what happened rather than splitting on `Name|Severity|src=…`.
  static func fillCEFMessages(_ read: inout ReadResult) {
    fillMessages(&read) { record in
      record.fields.contains { $0.name == "cef.version" }
    }
  }

  /// Gives the records `lacking` a message made of their fields (the JSON rules above).
  static func fillMessages(_ read: inout ReadResult, lacking needsMessage: (LogRecord) -> Bool) {
    let source = read.buffer
    let lacking = read.records.indices.filter { needsMessage(read.records[$0]) }
    guard !lacking.isEmpty else { return }
    var bytes = source.bytes
    bytes.reserveCapacity(bytes.count + lacking.count * 64)
    var verdicts = NameVerdicts()
    source.bytes.withUnsafeBufferPointer { input in
      for index in lacking {
        let fields = read.records[index].fields
        let speaks = verdicts.verdicts(for: fields)
        let start = bytes.count
        for (position, field) in fields.enumerated()
        where speaks[position] && valueSpeaks(field.value, input) {
          appendPair(field.name, field.value, from: source, input, to: &bytes, start: start)
        }
        if bytes.count > start {
          read.records[index].message = TextRef(ByteSpan(start, bytes.count))
        }
      }
    }
    read.buffer = SourceBuffer(
      name: source.name, bytes: bytes, wasCompressed: source.wasCompressed,
      inputByteCount: source.inputByteCount)
  }

  /// Whether a JSON field called `name` may be part of a made message.
  static func nameSpeaks(_ name: String) -> Bool {
    switch JSONLinesFormat.role(of: name) {
    case .time, .level, .component, .host, .pid: return false
    case .message, .status, .other: break
    }
    return !ColumnProfile.isIdentifierName(name) && !requesterNames.contains(name)
  }

  /// Whether a JSON value says something a template should group by: not a number, not empty
  /// or null.
  static func valueSpeaks(_ value: TextRef, _ input: UnsafeBufferPointer<UInt8>) -> Bool {
    let span = value.span
    guard span.start >= 0, span.end <= input.count else { return false }
    return !ColumnAccumulator.isNull(input, span) && ByteClass.number(input, span) == nil
  }

  /// The verdicts of ``nameSpeaks(_:)`` for a record's fields, kept for the last list of names
  /// (the records of one source mostly share it) and by name.
  struct NameVerdicts {
    private var names: [String] = []
    private var last: [Bool] = []
    private var known: [String: Bool] = [:]

    mutating func verdicts(for fields: [RecordField]) -> [Bool] {
      if fields.count == names.count,
        !zip(fields, names).contains(where: { $0.name != $1 })
      {
        return last
      }
      names = fields.map(\.name)
      last = names.map { name in
        if let verdict = known[name] { return verdict }
        let verdict = FieldMessage.nameSpeaks(name)
        known[name] = verdict
        return verdict
      }
      return last
    }
  }
}
