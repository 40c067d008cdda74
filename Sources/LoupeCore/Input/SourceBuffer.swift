/// The bytes of one input (a file, a decompressed gzip file, or standard input), held in
/// memory for the duration of an analysis so that records can refer to them by span.
public final class SourceBuffer: Sendable {
  /// The name shown to the user: the path as given, or `-` for standard input.
  public let name: String
  /// The input's bytes, after decompression.
  public let bytes: [UInt8]
  /// Whether the bytes were gzip-compressed on disk.
  public let wasCompressed: Bool
  /// How many of the bytes are the input's text — the input itself, then any lines a container
  /// runtime split that were put back together (``SplitLines``); those after them
  /// are messages Loupe made for records that have none of their own (``FieldMessage``).
  public let inputByteCount: Int

  /// Creates a buffer named `name` holding `bytes`, of which the first `inputByteCount` (all,
  /// by default) came from the input.
  public init(name: String, bytes: [UInt8], wasCompressed: Bool = false, inputByteCount: Int? = nil)
  {
    self.name = name
    self.bytes = bytes
    self.wasCompressed = wasCompressed
    self.inputByteCount = min(inputByteCount ?? bytes.count, bytes.count)
  }

  /// The same bytes under another name.
  public func renamed(_ name: String) -> SourceBuffer {
    SourceBuffer(
      name: name, bytes: bytes, wasCompressed: wasCompressed, inputByteCount: inputByteCount)
  }

  /// Whether `text` is a message Loupe made from a record's fields rather than text of the
  /// input.
  public func isSynthesized(_ text: TextRef) -> Bool {
    text.span.start >= inputByteCount && !text.span.isEmpty
  }

  /// Decodes a span as text, repairing invalid UTF-8 with U+FFFD and undoing `encoding`.
  /// - Parameter text: the text reference to decode.
  /// - Returns: the text as a `String`.
  public func string(_ text: TextRef) -> String {
    let span = text.span
    guard span.start >= 0, span.end <= bytes.count, !span.isEmpty else { return "" }
    switch text.encoding {
    case .raw:
      return bytes.withUnsafeBufferPointer { buffer in
        String(
          decoding: UnsafeBufferPointer(rebasing: buffer[span.start..<span.end]), as: UTF8.self)
      }
    case .jsonEscaped, .csvQuoted:
      return String(decoding: decodedBytes(text), as: UTF8.self)
    }
  }

  /// Decodes a raw span as text.
  /// - Parameter span: the bytes to decode.
  /// - Returns: the text, with invalid UTF-8 replaced by U+FFFD.
  public func string(_ span: ByteSpan) -> String { string(TextRef(span)) }

  /// The 64-bit FNV-1a hash (``Hashing``) of the bytes `text` stands for: hashed in place when
  /// there is no escape to undo, decoded first otherwise, so equal values hash equally.
  /// - Parameters:
  ///   - text: the text reference.
  ///   - bytes: this buffer's bytes.
  public func valueHash(_ text: TextRef, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    isVerbatim(text, bytes)
      ? Hashing.fnv1a(bytes, text.span) : Hashing.fnv1a(decodedBytes(text))
  }

  /// Whether `text`'s bytes in `bytes` (this buffer's) are its value as they are: raw text, or
  /// escaped text without an escape, within the buffer.
  public func isVerbatim(_ text: TextRef, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let span = text.span
    guard span.start >= 0, span.end <= bytes.count else { return false }
    guard let escape = text.encoding.escapeByte else { return true }
    return !bytes[span.start..<span.end].contains(escape)
  }

  /// The bytes that `text` stands for, with its escaping undone.
  /// - Parameter text: the text reference.
  /// - Returns: the unescaped bytes.
  public func decodedBytes(_ text: TextRef) -> [UInt8] {
    let span = text.span
    guard span.start >= 0, span.end <= bytes.count, !span.isEmpty else { return [] }
    switch text.encoding {
    case .raw:
      return Array(bytes[span.start..<span.end])
    case .csvQuoted:
      return CSVText.unquote(bytes, span)
    case .jsonEscaped:
      return JSONText.unescape(bytes, span)
    }
  }
}
