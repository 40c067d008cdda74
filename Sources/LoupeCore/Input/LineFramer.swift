#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Splits bytes into physical lines on `\n`, dropping a trailing `\r` (so `\r\n` works),
/// without decoding anything.
public enum LineFramer {
  /// The spans of every line in `range` of `bytes` (without the line terminator).
  ///
  /// A final line without a terminator is included; an empty input has no lines.
  /// - Parameters:
  ///   - bytes: the buffer.
  ///   - range: the part to split; it should start at a line start.
  /// - Returns: one span per physical line.
  /// - Complexity: O(*n*), using `memchr`.
  public static func lines(in bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) -> [ByteSpan] {
    guard let base = bytes.baseAddress, !range.isEmpty else { return [] }
    var spans: [ByteSpan] = []
    spans.reserveCapacity(range.count / 80 + 16)
    var start = range.lowerBound
    let end = range.upperBound
    while start < end {
      let found = memchr(base + start, 0x0A, end - start)
      let lineEnd: Int
      let next: Int
      if let found {
        lineEnd = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        next = lineEnd + 1
      } else {
        lineEnd = end
        next = end
      }
      var contentEnd = lineEnd
      if contentEnd > start && base[contentEnd - 1] == 0x0D { contentEnd -= 1 }
      spans.append(ByteSpan(start, contentEnd))
      start = next
    }
    return spans
  }

  /// Splits `bytes` into up to `parts` ranges that each start at a line start, for parallel
  /// parsing.
  /// - Parameters:
  ///   - bytes: the buffer.
  ///   - parts: the number of chunks wanted.
  /// - Returns: contiguous ranges covering the whole buffer.
  public static func chunks(of bytes: UnsafeBufferPointer<UInt8>, parts: Int) -> [Range<Int>] {
    let total = bytes.count
    guard parts > 1, total > 1 << 20 else { return total == 0 ? [] : [0..<total] }
    var ranges: [Range<Int>] = []
    var start = 0
    for part in 1..<parts {
      var cut = total * part / parts
      if cut <= start { continue }
      while cut < total && bytes[cut - 1] != 0x0A { cut += 1 }
      if cut >= total { break }
      ranges.append(start..<cut)
      start = cut
    }
    ranges.append(start..<total)
    return ranges
  }
}
