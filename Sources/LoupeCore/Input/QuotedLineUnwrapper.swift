/// Unwraps logs stored as one double-quoted CSV field per line (`"<150>Jan 28 … ""GET /
/// HTTP/1.1"" 200 …"`), as some log exporters write them, so that the inner lines can be
/// parsed in their own format. Line numbers are kept: each physical line stays one line.
enum QuotedLineUnwrapper {
  /// Whether at least 90% of the sample lines are single quoted CSV fields.
  static func isWrapped(_ bytes: UnsafeBufferPointer<UInt8>, _ lines: [ByteSpan]) -> Bool {
    let sample = lines.filter { !$0.isEmpty }.prefix(100)
    guard sample.count >= 1 else { return false }
    let wrapped = sample.filter { isSingleQuotedField(bytes, $0) }.count
    return wrapped * 10 >= sample.count * 9
  }

  private static func isSingleQuotedField(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan)
    -> Bool
  {
    guard span.count >= 2, bytes[span.start] == 0x22, bytes[span.end - 1] == 0x22 else {
      return false
    }
    var index = span.start + 1
    while index < span.end - 1 {
      if bytes[index] == 0x22 {
        guard bytes[index + 1] == 0x22, index + 1 < span.end - 1 else { return false }
        index += 2
        continue
      }
      index += 1
    }
    return true
  }

  /// A buffer in which every wrapped line is replaced by its unquoted content (other lines
  /// are copied as they are).
  static func unwrap(_ source: SourceBuffer) -> SourceBuffer {
    var output: [UInt8] = []
    output.reserveCapacity(source.bytes.count)
    source.bytes.withUnsafeBufferPointer { bytes in
      for span in LineFramer.lines(in: bytes, range: 0..<bytes.count) {
        if isSingleQuotedField(bytes, span) {
          var index = span.start + 1
          while index < span.end - 1 {
            output.append(bytes[index])
            index += bytes[index] == 0x22 ? 2 : 1
          }
        } else {
          output.append(contentsOf: bytes[span.start..<span.end])
        }
        output.append(0x0A)
      }
    }
    return SourceBuffer(name: source.name, bytes: output, wasCompressed: source.wasCompressed)
  }
}
