/// Trouble words used as the name of a setting or a limit, followed by its value:
/// `negotiated timeout <*>`, `minSessionTimeout set to -1`, `maxTaskFailuresPerNode is 3`,
/// `read.timeout=30s`. Such a line states configuration, not an event — "timed out",
/// "timeout after 60s", "3 failures on node" report one — so where the source logged it as
/// routine, its trouble words make no finding (``RuleDetector``).
///
/// A word is a setting's name when it is part of one identifier (letters, digits, `_`, `.`,
/// `-`) that either holds "timeout" (a timeout is a duration by nature; an identifier naming an
/// exception, `SocketTimeoutException`, is not a setting) or starts a part with a limit's
/// prefix (`max`, `min`, `limit`, `threshold`, `allowed`, `default`), and the identifier is
/// followed by its value: a number or a variable part, right after it or after `=`, `:`,
/// `is` or `set to`.
public enum SettingWording {
  /// Prefixes of identifier parts that name a limit, lower-case.
  static let limitPrefixes: [[UInt8]] = ["max", "min", "limit", "threshold", "allowed", "default"]
    .map { Array($0.utf8) }

  /// Whether every occurrence of the lower-case `phrase` in the template `text` (variable parts
  /// written `<*>`) is part of a setting's name followed by its value. A phrase of several
  /// words never is.
  public static func namesSetting(_ text: String, phrase: String) -> Bool {
    let needle = Array(phrase.utf8)
    guard !needle.isEmpty, !needle.contains(0x20) else { return false }
    let lower = Array(text.lowercased().utf8)
    var found = false
    var index = 0
    while index + needle.count <= lower.count {
      guard lower[index..<index + needle.count].elementsEqual(needle) else {
        index += 1
        continue
      }
      guard isSetting(lower, phraseAt: index, length: needle.count) else { return false }
      found = true
      index += needle.count
    }
    return found
  }

  private static func isSetting(_ lower: [UInt8], phraseAt start: Int, length: Int) -> Bool {
    var first = start
    while first > 0, isIdentifierByte(lower[first - 1]) { first -= 1 }
    var end = start + length
    while end < lower.count, isIdentifierByte(lower[end]) { end += 1 }
    let (hasException, namesTimeout) = lower.withUnsafeBufferPointer { bytes in
      let span = ByteSpan(first, end)
      return (
        RuleCatalog.contains(bytes, span, Array("exception".utf8)),
        RuleCatalog.contains(bytes, span, Array("timeout".utf8))
      )
    }
    guard !hasException, namesTimeout || hasLimitPart(lower[first..<end]) else { return false }
    return valueFollows(lower, from: end)
  }

  /// Whether a part of the identifier (split at `_`, `.`, `-`) starts with a limit's prefix.
  private static func hasLimitPart(_ name: ArraySlice<UInt8>) -> Bool {
    name.split(whereSeparator: { $0 == 0x5F || $0 == 0x2E || $0 == 0x2D }).contains { part in
      limitPrefixes.contains { part.starts(with: $0) }
    }
  }

  /// Whether a value — a number or `<*>` — comes at `index`, perhaps after `=`, `:`, `is` or
  /// `set to`.
  private static func valueFollows(_ lower: [UInt8], from index: Int) -> Bool {
    var index = skipSpaces(lower, index)
    if index < lower.count, lower[index] == 0x3D || lower[index] == 0x3A {
      index = skipSpaces(lower, index + 1)
    } else {
      for link in ["is ", "set to "] where lower[index...].starts(with: link.utf8) {
        index = skipSpaces(lower, index + link.utf8.count)
        break
      }
    }
    if lower[index...].starts(with: "<*>".utf8) { return true }
    if index < lower.count, lower[index] == 0x2D || lower[index] == 0x2B { index += 1 }
    return index < lower.count && lower[index] >= 0x30 && lower[index] <= 0x39
  }

  private static func skipSpaces(_ lower: [UInt8], _ index: Int) -> Int {
    var index = index
    while index < lower.count, lower[index] == 0x20 { index += 1 }
    return index
  }

  private static func isIdentifierByte(_ byte: UInt8) -> Bool {
    (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
      || byte == 0x2E || byte == 0x2D
  }
}
