/// A JSON document that holds many records rather than one object per line: an array of
/// objects (`[{…}, {…}]`, as many exporters and `jq -s` write, pretty-printed or not), an
/// object with an array of objects under one key (AWS CloudTrail's `{"Records": […]}`), or
/// pretty-printed objects one after another (`journalctl -o json-pretty`, `jq .`).
///
/// Each object of the array is a record, read as a JSON line is (``JSONLinesFormat``, with the
/// same names for time, level and message, and a message made of its fields when it has none,
/// ``FieldMessage``); its line is the physical line where the object starts. Anything in the
/// array that is not an object is skipped.
public enum JSONDocumentReader {
  /// The format name in the summary.
  public static let formatName = "json-document"

  /// Reads `buffer` as a JSON document of records, or returns `nil` when it is not one (JSON
  /// lines, or anything else).
  /// - Parameters:
  ///   - buffer: the input.
  ///   - context: for timestamps.
  public static func read(_ buffer: SourceBuffer, context: ParseContext) -> ReadResult? {
    let spans: [ByteSpan]? = buffer.bytes.withUnsafeBufferPointer { recordSpans($0) }
    guard let spans, !spans.isEmpty else { return nil }
    let format = JSONLinesFormat()
    var records: [LogRecord] = []
    records.reserveCapacity(spans.count)
    var unparsed = 0
    var examples: [UnparsedLine] = []
    var lineCount = 1
    buffer.bytes.withUnsafeBufferPointer { bytes in
      var line = 1
      var counted = 0
      for span in spans {
        line += newlines(bytes, from: counted, to: span.start)
        var record = LogRecord(line: line, span: span)
        record.lineCount = 1 + newlines(bytes, from: span.start, to: span.end)
        if !format.parse(bytes, &record, context) {
          record = LogRecord(line: line, span: span)
          record.lineCount = 1 + newlines(bytes, from: span.start, to: span.end)
          record.parsed = false
          unparsed += 1
          if examples.count < 5 {
            examples.append(
              UnparsedLine(line: line, text: String(buffer.string(span).prefix(200))))
          }
        }
        records.append(record)
        counted = span.start
      }
      lineCount = line + newlines(bytes, from: counted, to: bytes.count)
    }
    var result = ReadResult(
      buffer: buffer, records: records, formatName: formatName, lineCount: lineCount,
      unparsedCount: unparsed, unparsedExamples: examples, audit: nil, problems: [])
    FieldMessage.fillJSONMessages(&result)
    return result
  }

  /// The spans of the record objects of a JSON document, or `nil` when `bytes` is not a
  /// document of records: it must start with `[`, or with `{` on a line that is not a whole
  /// object (which would be JSON lines) holding an array of objects.
  static func recordSpans(_ bytes: UnsafeBufferPointer<UInt8>) -> [ByteSpan]? {
    var scanner = JSONScanner(bytes: bytes)
    scanner.skipWhitespace()
    switch scanner.peek {
    case 0x5B:
      return scanner.objects(inArrayAt: scanner.position)
    case 0x7B:
      guard !firstLineIsAnObject(bytes, from: scanner.position) else { return nil }
      if let sequence = objectSequence(bytes, from: scanner.position) { return sequence }
      return scanner.firstArrayOfObjects()
    default:
      return nil
    }
  }

  /// The spans of pretty-printed objects one after another (`journalctl -o json-pretty`,
  /// `jq .`), or `nil` when the first object is alone. A last object that does not close (a
  /// file cut while written) is kept as one span, which reads as an unparsed record.
  static func objectSequence(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> [ByteSpan]? {
    var scanner = JSONScanner(bytes: bytes)
    scanner.position = start
    var spans: [ByteSpan] = []
    while scanner.peek == 0x7B {
      let objectStart = scanner.position
      guard scanner.skipValue() else {
        guard spans.count >= 1 else { return nil }
        spans.append(ByteSpan(objectStart, bytes.count))
        return spans
      }
      spans.append(ByteSpan(objectStart, scanner.position))
      scanner.skipWhitespace()
    }
    return spans.count >= 2 && scanner.peek == nil ? spans : nil
  }

  /// Whether the line starting at `start` is a complete object (JSON lines, not a document).
  private static func firstLineIsAnObject(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int)
    -> Bool
  {
    var end = start
    while end < bytes.count, bytes[end] != 0x0A { end += 1 }
    var scanner = JSONScanner(bytes: bytes, end: end)
    scanner.position = start
    guard scanner.skipValue() else { return false }
    scanner.skipWhitespace()
    return scanner.position >= end
  }

  private static func newlines(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int)
    -> Int
  {
    guard start < end else { return 0 }
    var count = 0
    for index in start..<end where bytes[index] == 0x0A { count += 1 }
    return count
  }
}

/// Walks JSON text without decoding it: skips values, finds arrays of objects.
struct JSONScanner {
  let bytes: UnsafeBufferPointer<UInt8>
  let end: Int
  var position = 0

  init(bytes: UnsafeBufferPointer<UInt8>, end: Int? = nil) {
    self.bytes = bytes
    self.end = min(end ?? bytes.count, bytes.count)
  }

  var peek: UInt8? { position < end ? bytes[position] : nil }

  mutating func skipWhitespace() {
    while position < end, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
  }

  /// Skips one value (string, number, literal, object or array); `false` when malformed.
  mutating func skipValue() -> Bool {
    skipWhitespace()
    guard let first = peek else { return false }
    switch first {
    case 0x22:
      return skipString()
    case 0x7B, 0x5B:
      let close: UInt8 = first == 0x7B ? 0x7D : 0x5D
      position += 1
      skipWhitespace()
      if peek == close {
        position += 1
        return true
      }
      while true {
        if first == 0x7B {
          skipWhitespace()
          guard skipString() else { return false }
          skipWhitespace()
          guard peek == 0x3A else { return false }
          position += 1
        }
        guard skipValue() else { return false }
        skipWhitespace()
        if peek == 0x2C {
          position += 1
          continue
        }
        guard peek == close else { return false }
        position += 1
        return true
      }
    default:
      let start = position
      while let byte = peek, ![0x2C, 0x7D, 0x5D, 0x20, 0x09, 0x0A, 0x0D].contains(byte) {
        position += 1
      }
      return position > start
    }
  }

  mutating func skipString() -> Bool {
    guard peek == 0x22 else { return false }
    position += 1
    while position < end {
      switch bytes[position] {
      case 0x5C: position += 2
      case 0x22:
        position += 1
        return true
      default: position += 1
      }
    }
    return false
  }

  /// The spans of the objects in the array at `start`, or `nil` when it is malformed or holds
  /// no object.
  mutating func objects(inArrayAt start: Int) -> [ByteSpan]? {
    position = start
    guard peek == 0x5B else { return nil }
    position += 1
    var spans: [ByteSpan] = []
    skipWhitespace()
    if peek == 0x5D { return nil }
    while true {
      skipWhitespace()
      let valueStart = position
      let isObject = peek == 0x7B
      guard skipValue() else { return nil }
      if isObject { spans.append(ByteSpan(valueStart, position)) }
      skipWhitespace()
      if peek == 0x2C {
        position += 1
        continue
      }
      guard peek == 0x5D else { return nil }
      position += 1
      return spans.isEmpty ? nil : spans
    }
  }

  /// In the object at the position, the objects of the first member whose value is an array
  /// of objects.
  mutating func firstArrayOfObjects() -> [ByteSpan]? {
    guard peek == 0x7B else { return nil }
    position += 1
    while true {
      skipWhitespace()
      guard skipString() else { return nil }
      skipWhitespace()
      guard peek == 0x3A else { return nil }
      position += 1
      skipWhitespace()
      if peek == 0x5B {
        let arrayStart = position
        var probe = self
        probe.position += 1
        probe.skipWhitespace()
        if probe.peek == 0x7B, let spans = objects(inArrayAt: arrayStart) { return spans }
        position = arrayStart
      }
      guard skipValue() else { return nil }
      skipWhitespace()
      guard peek == 0x2C else { return nil }
      position += 1
    }
  }
}
