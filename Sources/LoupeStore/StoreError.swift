import Foundation

/// A store that cannot be opened, in one sentence.
public struct StoreError: Error, CustomStringConvertible {
  /// The sentence.
  public var description: String

  /// Creates an error.
  public init(description: String) { self.description = description }

  /// A database URL with its password replaced by `***`.
  public static func redacted(_ url: String) -> String {
    guard var components = URLComponents(string: url), components.password != nil else {
      return url
    }
    components.password = "***"
    return components.string ?? url
  }
}

/// Opens the store a `--database` or `--store` value names: `postgres://…` or
/// `postgresql://…` for PostgreSQL, `sqlite:PATH`, `sqlite://PATH` or a plain path for SQLite.
public enum StoreOpener {
  /// Seconds to wait for a PostgreSQL server at start.
  public static let connectTimeout: Double = 5

  /// Opens and migrates the store.
  /// - Throws: ``StoreError`` naming the database when it cannot be opened.
  public static func open(_ location: String) async throws -> SQLResultStore {
    do {
      if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
        let executor = try PostgresExecutor(url: location)
        // The pool retries a server that is down for ever; a store that cannot be reached
        // at start is an error the user should see at once.
        return try await withThrowingTaskGroup(of: SQLResultStore?.self) { group in
          group.addTask { try await SQLResultStore(executor: executor) }
          group.addTask {
            try await Task.sleep(for: .seconds(connectTimeout))
            return nil
          }
          defer { group.cancelAll() }
          guard let first = try await group.next(), let store = first else {
            await executor.close()
            throw StoreError(
              description:
                "cannot reach the database \(StoreError.redacted(location)) within \(Int(connectTimeout)) s"
            )
          }
          return store
        }
      }
      var path = location
      for prefix in ["sqlite://", "sqlite:"] where path.hasPrefix(prefix) {
        path = String(path.dropFirst(prefix.count))
      }
      return try await SQLResultStore(executor: try SQLiteExecutor(path: path))
    } catch let error as StoreError {
      throw error
    } catch {
      throw StoreError(
        description: "cannot open the database \(StoreError.redacted(location)): \(error)")
    }
  }
}
