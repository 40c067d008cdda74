/// The inferred type of a delimited column.
public enum ColumnType: String, Sendable, Codable, Hashable {
  case integer, float, timestamp, category, text, empty
}

/// What Loupe learned about one column of a delimited file.
public struct ColumnProfile: Sendable, Codable, Hashable {
  /// The header name.
  public var name: String
  /// The inferred type.
  public var type: ColumnType
  /// Share of empty or null cells (`""`, `NA`, `N/A`, `null`, `NaN`, `None`, `-`), in percent.
  public var nullPercent: Double
  /// The number of distinct values (capped at 10,000).
  public var distinct: Int
  /// Whether the column identifies rows or entities (ids, keys) rather than measuring them.
  public var isIdentifier: Bool
  /// Whether every non-null cell holds the same value.
  public var isConstant: Bool

  /// Whether a column or field called `name` identifies rows or entities by its name: `id`,
  /// `…_id`, `…-id`, `…Id`, `…ID`, `pid`, `uuid`, `guid`, `key`; a flattened name by its last
  /// part (`dns.id`, `trace.id`).
  public static func isIdentifierName(_ name: String) -> Bool {
    // A flattened JSON name is judged by its last part (`dns.id`, `trace.id`, `http.requestId`).
    let last = name.split(separator: ".").last.map(String.init) ?? name
    let lower = last.lowercased()
    let camelCase = last.count > 2 && (last.hasSuffix("Id") || last.hasSuffix("ID"))
    return lower == "id" || lower.hasSuffix("_id") || lower.hasSuffix("-id") || camelCase
      || ["pid", "uuid", "guid", "key"].contains(lower)
  }

  /// Whether the column feeds the detectors as a numeric feature.
  public var isNumericFeature: Bool {
    (type == .integer || type == .float) && !isIdentifier && !isConstant
  }
}

/// Accumulates the values of one column to infer its profile.
struct ColumnAccumulator {
  var name: String
  var count = 0
  var nulls = 0
  var integers = 0
  var numbers = 0
  var timestamps = 0
  var distinct = Set<UInt64>()
  var distinctCapped = false

  init(name: String) { self.name = name }

  mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, _ cell: TextRef, _ context: ParseContext) {
    count += 1
    let span = cell.span
    if Self.isNull(bytes, span) {
      nulls += 1
      return
    }
    if ByteClass.integer(bytes, span) != nil {
      integers += 1
      numbers += 1
    } else if ByteClass.number(bytes, span) != nil {
      numbers += 1
    } else if span.count >= 8, context.timestamps.parse(bytes, span) != nil {
      timestamps += 1
    }
    if !distinctCapped {
      distinct.insert(Hashing.fnv1a(bytes, span))
      if distinct.count >= 10_000 { distinctCapped = true }
    }
  }

  static func isNull(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Bool {
    if span.isEmpty { return true }
    if span.count > 4 { return false }
    var packed: UInt32 = 0
    for index in span.start..<span.end { packed = packed << 8 | UInt32(bytes[index] | 0x20) }
    return nullWords.contains(packed)
  }

  /// `na`, `n/a`, `null`, `nan`, `none` and `-`, packed lower-case.
  private static let nullWords: Set<UInt32> = Set(
    ["na", "n/a", "null", "nan", "none", "-"].map { word in
      word.utf8.reduce(UInt32(0)) { $0 << 8 | UInt32($1 | 0x20) }
    })

  func profile() -> ColumnProfile {
    let nonNull = count - nulls
    let type: ColumnType
    let threshold = Double(nonNull) * 0.98
    if nonNull == 0 {
      type = .empty
    } else if Double(integers) >= threshold {
      type = .integer
    } else if Double(numbers) >= threshold {
      type = .float
    } else if Double(timestamps) >= threshold {
      type = .timestamp
    } else if distinct.count <= max(20, nonNull / 20) && distinct.count * 2 <= nonNull {
      type = .category
    } else {
      type = .text
    }
    let namedAsIdentifier = ColumnProfile.isIdentifierName(name)
    let uniqueText =
      (type == .text || type == .category) && nonNull >= 20 && distinct.count * 100 >= nonNull * 98
    return ColumnProfile(
      name: name, type: type,
      nullPercent: count == 0 ? 0 : (Double(nulls) * 1000 / Double(count)).rounded() / 10,
      distinct: distinct.count,
      isIdentifier: namedAsIdentifier || uniqueText,
      isConstant: nonNull > 1 && distinct.count == 1)
  }
}

/// Small, stable hash functions (stable across runs and machines, unlike `Hasher`).
public enum Hashing {
  /// 64-bit FNV-1a of `span` of `bytes`.
  @inlinable
  public static func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for index in span.start..<span.end {
      hash = (hash ^ UInt64(bytes[index])) &* 0x100_0000_01b3
    }
    return hash
  }

  /// 64-bit FNV-1a of a byte sequence.
  @inlinable
  public static func fnv1a<S: Sequence<UInt8>>(_ bytes: S, seed: UInt64 = 0xcbf2_9ce4_8422_2325)
    -> UInt64
  {
    var hash = seed
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash
  }
}
