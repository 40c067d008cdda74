/// A value bound into or read out of SQL, the same for SQLite and PostgreSQL.
public enum SQLValue: Sendable, Hashable {
  /// SQL NULL.
  case null
  /// An integer.
  case integer(Int)
  /// A floating-point number.
  case real(Double)
  /// Text.
  case text(String)

  /// The text, or `nil`.
  public var text: String? {
    if case .text(let value) = self { return value }
    return nil
  }

  /// The integer (a real is truncated), or `nil`.
  public var integer: Int? {
    switch self {
    case .integer(let value): value
    case .real(let value): Int(value)
    case .text(let value): Int(value)
    case .null: nil
    }
  }

  /// The number, or `nil`.
  public var real: Double? {
    switch self {
    case .integer(let value): Double(value)
    case .real(let value): value
    case .text(let value): Double(value)
    case .null: nil
    }
  }
}

/// Runs SQL on one database: the seam between ``SQLResultStore`` and SQLite or PostgreSQL.
/// Statements use `?` placeholders; the PostgreSQL executor numbers them.
public protocol SQLExecutor: Sendable {
  /// Runs a statement that returns no rows.
  func execute(_ sql: String, _ values: [SQLValue]) async throws
  /// Runs a query and returns its rows.
  func query(_ sql: String, _ values: [SQLValue]) async throws -> [[SQLValue]]
  /// Runs `body` in one transaction: everything it does is committed together or not at all.
  func transaction<T: Sendable>(_ body: @Sendable (any SQLTransaction) async throws -> T)
    async throws -> T
  /// A query that takes a lock for the rest of the transaction, held while migrating;
  /// `nil` when transactions already exclude each other.
  var migrationLock: String? { get }
  /// Closes the connections.
  func close() async
}

/// The statements available inside a transaction.
public protocol SQLTransaction: Sendable {
  /// Runs a statement that returns no rows.
  func execute(_ sql: String, _ values: [SQLValue]) async throws
  /// Runs a query and returns its rows.
  func query(_ sql: String, _ values: [SQLValue]) async throws -> [[SQLValue]]
}
