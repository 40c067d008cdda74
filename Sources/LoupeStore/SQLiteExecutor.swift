import Foundation
internal import GRDB
import LoupeCore

/// SQLite through GRDB: one file in WAL mode (readers never wait for the writer and never see
/// an uncommitted transaction), `synchronous = FULL` so that a commit that returned survives
/// a crash or power loss, foreign keys on.
///
/// A transaction spans several async calls, so it runs on GRDB's single writer connection
/// between `BEGIN IMMEDIATE` and `COMMIT`, with an async lock keeping every other write out
/// until it ends.
public final class SQLiteExecutor: SQLExecutor {
  private let pool: DatabasePool
  private let writeLock = AsyncLock()
  /// The database file.
  public let path: String

  /// Opens (creating when needed) the database file.
  /// - Throws: when the file cannot be opened as SQLite.
  public init(path: String) throws {
    self.path = path
    var configuration = Configuration()
    configuration.allowsUnsafeTransactions = true
    configuration.busyMode = .timeout(10)
    configuration.prepareDatabase { db in
      try db.execute(sql: "PRAGMA synchronous = FULL")
    }
    pool = try DatabasePool(path: path, configuration: configuration)
  }

  static func arguments(_ values: [SQLValue]) -> StatementArguments {
    StatementArguments(
      values.map { value -> (any DatabaseValueConvertible)? in
        switch value {
        case .null: nil
        case .integer(let number): Int64(number)
        case .real(let number): number
        case .text(let text): text
        }
      })
  }

  static func values(_ row: Row) -> [SQLValue] {
    row.databaseValues.map { value in
      switch value.storage {
      case .null: .null
      case .int64(let number): .integer(Int(number))
      case .double(let number): .real(number)
      case .string(let text): .text(text)
      case .blob(let data): .text(String(decoding: data, as: UTF8.self))
      }
    }
  }

  /// Runs a statement (a write, under the lock).
  public func execute(_ sql: String, _ values: [SQLValue]) async throws {
    let arguments = Self.arguments(values)
    try await writeLock.withLock {
      try await self.pool.write { db in try db.execute(sql: sql, arguments: arguments) }
    }
  }

  /// Runs a query on a reader.
  public func query(_ sql: String, _ values: [SQLValue]) async throws -> [[SQLValue]] {
    let arguments = Self.arguments(values)
    return try await pool.read { db in
      try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.values)
    }
  }

  private struct Transaction: SQLTransaction {
    let pool: DatabasePool

    func execute(_ sql: String, _ values: [SQLValue]) async throws {
      let arguments = SQLiteExecutor.arguments(values)
      try await pool.writeWithoutTransaction { db in
        try db.execute(sql: sql, arguments: arguments)
      }
    }

    func query(_ sql: String, _ values: [SQLValue]) async throws -> [[SQLValue]] {
      let arguments = SQLiteExecutor.arguments(values)
      // On the writer, so the transaction sees its own writes.
      return try await pool.writeWithoutTransaction { db in
        try Row.fetchAll(db, sql: sql, arguments: arguments).map(SQLiteExecutor.values)
      }
    }
  }

  /// Runs `body` in one transaction.
  public func transaction<T: Sendable>(_ body: @Sendable (any SQLTransaction) async throws -> T)
    async throws -> T
  {
    try await writeLock.withLock {
      let transaction = Transaction(pool: self.pool)
      try await self.pool.writeWithoutTransaction { db in
        try db.execute(sql: "BEGIN IMMEDIATE")
      }
      do {
        let result = try await body(transaction)
        try await self.pool.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
        return result
      } catch {
        try? await self.pool.writeWithoutTransaction { db in
          if db.isInsideTransaction { try db.execute(sql: "ROLLBACK") }
        }
        throw error
      }
    }
  }

  /// None: `BEGIN IMMEDIATE` already keeps other writers out.
  public var migrationLock: String? { nil }

  /// Closes the pool.
  public func close() async { try? pool.close() }
}
