/// Lower-case needles searched for together, case-insensitively (ASCII), in one pass over a
/// span: each byte is looked up by its lower-case value in a table of the needles that start
/// with it, so most bytes cost one table read however many needles there are.
struct NeedleSet: Sendable {
  /// The needles, in the order their indices refer to.
  let needles: [[UInt8]]
  /// `order[starts[b]..<starts[b + 1]]`: the indices of the needles starting with byte `b`,
  /// lowest first.
  private let starts: [Int]
  private let order: [Int]

  /// Creates the set; `words` must be lower-case.
  init(_ words: [String]) {
    needles = words.map { Array($0.utf8) }
    var buckets = [[Int]](repeating: [], count: 256)
    for (index, needle) in needles.enumerated() {
      if let first = needle.first { buckets[Int(first)].append(index) }
    }
    var starts = [0]
    var order: [Int] = []
    for bucket in buckets {
      order += bucket
      starts.append(order.count)
    }
    self.starts = starts
    self.order = order
  }

  /// The lowest index of a needle found anywhere in `span` of `bytes`, or `nil`.
  func firstNeedle(in bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Int? {
    var best: Int?
    var index = span.start
    while index < span.end {
      let byte = Int(Self.lower(bytes[index]))
      var candidate = starts[byte]
      let end = starts[byte + 1]
      while candidate < end {
        let needleIndex = order[candidate]
        candidate += 1
        if let found = best, found <= needleIndex { break }
        if matches(needles[needleIndex], in: bytes, at: index, before: span.end) {
          if needleIndex == 0 { return 0 }
          best = needleIndex
          break
        }
      }
      index += 1
    }
    return best
  }

  private func matches(
    _ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at start: Int, before end: Int
  ) -> Bool {
    guard end - start >= needle.count else { return false }
    var offset = 1
    while offset < needle.count, Self.lower(bytes[start + offset]) == needle[offset] {
      offset += 1
    }
    return offset == needle.count
  }

  @inline(__always)
  private static func lower(_ byte: UInt8) -> UInt8 {
    byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
  }
}
