/// A message template: the constant part of a family of messages with `<*>` for each
/// variable, a stable id derived from its text, and how often it was seen.
public struct Template: Sendable, Hashable, Codable {
  /// `T` followed by 8 hex digits of the template text's FNV-1a hash: the same template gets
  /// the same id in every run and on every machine.
  public var id: String
  /// The template text, tokens separated by single spaces.
  public var text: String
  /// How many records have this template.
  public var count: Int
  /// The first line (1-based) where it appears.
  public var firstLine: Int

  /// The stable id of a template text.
  /// - Parameter text: the template.
  /// - Returns: `T` and 8 hex digits.
  public static func id(for text: String) -> String {
    let hash = Hashing.fnv1a(text.utf8)
    let folded = UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
    let hex = String(folded, radix: 16)
    return "T" + String(repeating: "0", count: 8 - hex.count) + hex
  }
}
