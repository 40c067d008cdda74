/// Finds one named field in record after record. Records of one format share a field layout,
/// so it first tries the position where the name was last found, and searches only on a miss.
public struct FieldLookup: Sendable {
  /// The field name.
  public let name: String
  private var hint = 0

  /// Creates a lookup for `name`.
  public init(_ name: String) { self.name = name }

  /// The field's value in `record`, if the record has it.
  /// - Complexity: O(1) when the layout repeats, O(fields) otherwise.
  public mutating func value(in record: LogRecord) -> TextRef? {
    let fields = record.fields
    if hint < fields.count, fields[hint].name == name { return fields[hint].value }
    guard let index = fields.firstIndex(where: { $0.name == name }) else { return nil }
    hint = index
    return fields[index].value
  }
}
