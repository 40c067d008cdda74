/// A half-open range of byte offsets `start..<end` into a ``SourceBuffer``.
///
/// Records and fields refer to the input by span so that parsing never copies bytes;
/// a `String` is made only when a value is written out.
public struct ByteSpan: Sendable, Hashable {
  /// Offset of the first byte.
  public var start: Int
  /// Offset one past the last byte.
  public var end: Int

  /// Creates a span; `end` is clamped so that the span is never negative.
  @inlinable
  public init(_ start: Int, _ end: Int) {
    self.start = start
    self.end = max(start, end)
  }

  /// The number of bytes covered.
  @inlinable
  public var count: Int { end - start }

  /// Whether the span covers no byte.
  @inlinable
  public var isEmpty: Bool { end <= start }

  /// The empty span at offset 0.
  public static let empty = ByteSpan(0, 0)
}

/// How the bytes of a span encode the text they stand for.
public enum TextEncoding: UInt8, Sendable, Hashable {
  /// The bytes are the text (UTF-8, possibly invalid, repaired when decoded).
  case raw
  /// A JSON string body: backslash escapes must be decoded.
  case jsonEscaped
  /// A double-quoted CSV field body: `""` stands for `"`.
  case csvQuoted

  /// The byte that starts an escape in this encoding (`\\` in JSON, `"` in CSV), or `nil` for
  /// raw text: a span without it is its own value.
  @inlinable
  public var escapeByte: UInt8? {
    switch self {
    case .raw: nil
    case .jsonEscaped: 0x5C
    case .csvQuoted: 0x22
    }
  }
}

/// A piece of text inside a ``SourceBuffer``: a span and the escaping it uses.
public struct TextRef: Sendable, Hashable {
  /// Where the text lies.
  public var span: ByteSpan
  /// How to decode it.
  public var encoding: TextEncoding

  /// Creates a reference to `span` decoded with `encoding`.
  @inlinable
  public init(_ span: ByteSpan, _ encoding: TextEncoding = .raw) {
    self.span = span
    self.encoding = encoding
  }

  /// The empty text.
  public static let empty = TextRef(.empty)
}
