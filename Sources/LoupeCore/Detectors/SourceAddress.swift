/// Where a message says a request came from: its first IPv4 address (`from 203.0.113.9 port
/// 22`), else the host after `rhost=` (PAM's `rhost=c9063558.virtua.com.br`).
enum SourceAddress {
  /// The source named in `span` of `bytes`, if any.
  static func find(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> String? {
    var index = span.start
    while index < span.end {
      if ByteClass.isDigit(bytes[index]), index == span.start || !isAddressByte(bytes[index - 1]),
        let end = ipv4End(bytes, index, span.end)
      {
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
      }
      index += 1
    }
    return remoteHost(bytes, span)
  }

  /// The end of a dotted quad starting at `start` (four numbers of 1–3 digits, up to 255), not
  /// followed by another digit or dot and digit (a version `1.2.3.4.5`).
  private static func ipv4End(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ limit: Int)
    -> Int?
  {
    var index = start
    for part in 0..<4 {
      var value = 0
      let first = index
      while index < limit, ByteClass.isDigit(bytes[index]), index - first < 3 {
        value = value * 10 + Int(bytes[index] &- 0x30)
        index += 1
      }
      guard index > first, value <= 255 else { return nil }
      if part < 3 {
        guard index < limit, bytes[index] == 0x2E else { return nil }
        index += 1
      }
    }
    if index < limit, ByteClass.isDigit(bytes[index]) { return nil }
    if index + 1 < limit, bytes[index] == 0x2E, ByteClass.isDigit(bytes[index + 1]) { return nil }
    return index
  }

  private static func remoteHost(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> String? {
    let key = Array("rhost=".utf8)
    guard span.count > key.count else { return nil }
    var index = span.start
    while index + key.count < span.end {
      if (0..<key.count).allSatisfy({ bytes[index + $0] == key[$0] }) {
        let start = index + key.count
        var end = start
        while end < span.end, bytes[end] != 0x20, bytes[end] != 0x09 { end += 1 }
        guard end > start else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
      }
      index += 1
    }
    return nil
  }

  private static func isAddressByte(_ byte: UInt8) -> Bool {
    ByteClass.isDigit(byte) || byte == 0x2E || ByteClass.isLetter(byte)
  }
}
