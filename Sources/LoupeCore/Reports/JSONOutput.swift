import Foundation

/// The one JSON style of Loupe's files and `--json` output: snake_case keys, sorted, indented.
public enum JSONOutput {
  /// Encodes `value` in that style.
  /// - Throws: an encoding error (none for Loupe's own types).
  public static func encode<Value: Encodable>(_ value: Value) throws -> Data {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(value)
  }
}
