/// The account an authentication failure was for: a field that names it (Windows'
/// `TargetUserName`, the audit log's `acct`), the last `Account Name:` of a Windows event's
/// text (the first is the subject's, `-` for a network logon; the last is the account the
/// logon failed for), PAM's `user=root`, or the word after `for` or `user` and before `from`
/// (`Failed password for invalid user admin from …`).
enum TargetAccount {
  /// The fields an account is read from, in order.
  static let fieldNames = [
    "winlog.event_data.TargetUserName", "Event.EventData.TargetUserName", "TargetUserName", "acct",
  ]

  /// The account named in `span` of `bytes`, if any.
  static func find(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> String? {
    if let value = lastWindowsAccount(bytes, span) { return value }
    if let value = valueAfter(Array(" user=".utf8), bytes, span) { return value }
    let from = Array(" from ".utf8)
    guard let fromAt = ByteClass.firstIndex(of: from, in: bytes, span) else { return nil }
    var start = fromAt
    while start > span.start, bytes[start - 1] != 0x20 { start -= 1 }
    guard start < fromAt else { return nil }
    let before = Array(bytes[max(span.start, start - 5)..<start])
    guard
      before.elementsEqual(Array("user ".utf8))
        || before.suffix(4).elementsEqual(Array("for ".utf8))
    else { return nil }
    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<fromAt]), as: UTF8.self)
  }

  private static let accountNameKey = Array("Account Name:".utf8)

  /// The value of the last `Account Name:` in a Windows event's text, unless it is `-`.
  private static func lastWindowsAccount(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan)
    -> String?
  {
    let key = accountNameKey
    var last: Int?
    var from = span
    while let at = ByteClass.firstIndex(of: key, in: bytes, from) {
      last = at
      from = ByteSpan(at + key.count, span.end)
    }
    guard let last else { return nil }
    var start = last + key.count
    while start < span.end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
    var end = start
    while end < span.end, bytes[end] != 0x0A, bytes[end] != 0x0D, bytes[end] != 0x09 { end += 1 }
    while end > start, bytes[end - 1] == 0x20 { end -= 1 }
    guard end > start, !(end == start + 1 && bytes[start] == 0x2D) else { return nil }
    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
  }

  /// The token after `key` (up to a space, `;` or `'`), when it is not empty.
  private static func valueAfter(
    _ key: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan
  ) -> String? {
    guard let at = ByteClass.firstIndex(of: key, in: bytes, span) else { return nil }
    let start = at + key.count
    var end = start
    while end < span.end, bytes[end] != 0x20, bytes[end] != 0x3B, bytes[end] != 0x27 { end += 1 }
    guard end > start else { return nil }
    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
  }
}
