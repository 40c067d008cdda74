import Foundation
internal import Logging
internal import PostgresNIO

/// PostgreSQL through postgres-nio: a connection pool (``PostgresClient``) run in a task of
/// its own; `?` placeholders become `$1`, `$2`, ….
public final class PostgresExecutor: SQLExecutor {
  private let client: PostgresClient
  private let runner: Task<Void, Never>
  private let logger = Logger(label: "loupe.store.postgres")

  /// Connects to `url` (`postgres://user[:password]@host[:port]/database`; the password may
  /// also come from `PGPASSWORD`; `?sslmode=require` asks for TLS).
  /// - Throws: ``StoreError`` when the URL is not a PostgreSQL URL.
  public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment)
    throws
  {
    guard let components = URLComponents(string: url),
      ["postgres", "postgresql"].contains(components.scheme ?? ""),
      let host = components.host, !host.isEmpty
    else {
      throw StoreError(description: "not a PostgreSQL URL: \(StoreError.redacted(url))")
    }
    let database = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
    let tls: PostgresClient.Configuration.TLS =
      components.queryItems?.first { $0.name == "sslmode" }?.value == "require"
      ? .require(.makeClientConfiguration()) : .disable
    let configuration = PostgresClient.Configuration(
      host: host, port: components.port ?? 5432, username: components.user ?? "postgres",
      password: components.password ?? environment["PGPASSWORD"],
      database: database.isEmpty ? nil : database, tls: tls)
    client = PostgresClient(configuration: configuration)
    let client = client
    runner = Task { await client.run() }
  }

  static func numbered(_ sql: String) -> String {
    var output = ""
    var index = 0
    var quoted = false
    for character in sql {
      if character == "'" { quoted.toggle() }
      if character == "?" && !quoted {
        index += 1
        output += "$\(index)"
      } else {
        output.append(character)
      }
    }
    return output
  }

  static func query(_ sql: String, _ values: [SQLValue]) -> PostgresQuery {
    var bindings = PostgresBindings(capacity: values.count)
    for value in values {
      switch value {
      case .null: bindings.appendNull()
      case .integer(let number): bindings.append(number)
      case .real(let number): bindings.append(number)
      case .text(let text): bindings.append(text)
      }
    }
    return PostgresQuery(unsafeSQL: numbered(sql), binds: bindings)
  }

  static func values(_ row: PostgresRow) throws -> [SQLValue] {
    try row.map { cell -> SQLValue in
      guard cell.bytes != nil else { return .null }
      switch cell.dataType {
      case .int2, .int4, .int8: return .integer(try cell.decode(Int.self))
      case .float4, .float8, .numeric: return .real(try cell.decode(Double.self))
      default: return .text(try cell.decode(String.self))
      }
    }
  }

  /// Runs a statement.
  public func execute(_ sql: String, _ values: [SQLValue]) async throws {
    _ = try await query(sql, values)
  }

  /// Runs a query.
  public func query(_ sql: String, _ values: [SQLValue]) async throws -> [[SQLValue]] {
    var rows: [[SQLValue]] = []
    for try await row in try await client.query(Self.query(sql, values), logger: logger) {
      rows.append(try Self.values(row))
    }
    return rows
  }

  private struct Transaction: SQLTransaction {
    let connection: PostgresConnection
    let logger: Logger

    func execute(_ sql: String, _ values: [SQLValue]) async throws {
      _ = try await query(sql, values)
    }

    func query(_ sql: String, _ values: [SQLValue]) async throws -> [[SQLValue]] {
      var rows: [[SQLValue]] = []
      for try await row in try await connection.query(
        PostgresExecutor.query(sql, values), logger: logger)
      {
        rows.append(try PostgresExecutor.values(row))
      }
      return rows
    }
  }

  /// Runs `body` in one transaction.
  public func transaction<T: Sendable>(_ body: @Sendable (any SQLTransaction) async throws -> T)
    async throws -> T
  {
    let logger = logger
    return try await client.withTransaction(logger: logger) { connection in
      try await body(Transaction(connection: connection, logger: logger))
    }
  }

  /// A transaction-scoped advisory lock, the same number for every Loupe.
  public var migrationLock: String? { "SELECT pg_advisory_xact_lock(7004431)" }

  /// Stops the pool without waiting for it (for a server that never answered).
  public func abandon() { runner.cancel() }

  /// Stops the pool.
  public func close() async {
    runner.cancel()
    _ = await runner.value
  }
}
