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
  public static let connectTimeout: Double = 10

  /// Whether the server answers `SELECT 1` within `seconds`. The loser of the race is left
  /// to finish on its own: nothing waits for a query the pool may retry for ever.
  static func reachable(_ executor: PostgresExecutor, within seconds: Double) async -> Bool {
    await withCheckedContinuation { continuation in
      let once = ResumeOnce(continuation)
      Task { once.resume((try? await executor.query("SELECT 1", [])) != nil) }
      Task {
        try? await Task.sleep(for: .seconds(seconds))
        once.resume(false)
      }
    }
  }

  /// Opens and migrates the store.
  /// - Throws: ``StoreError`` naming the database when it cannot be opened.
  public static func open(_ location: String) async throws -> SQLResultStore {
    do {
      if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
        let executor = try PostgresExecutor(url: location)
        // The pool retries a server that is down for ever: one that does not answer at start
        // is an error the user should see at once.
        guard await reachable(executor, within: connectTimeout) else {
          executor.abandon()
          throw StoreError(
            description:
              "cannot reach the database \(StoreError.redacted(location)) within \(Int(connectTimeout)) s"
          )
        }
        return try await SQLResultStore(executor: executor)
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

/// Resumes a continuation the first time only.
final class ResumeOnce: @unchecked Sendable {
  private let lock = NSLock()
  private var continuation: CheckedContinuation<Bool, Never>?

  init(_ continuation: CheckedContinuation<Bool, Never>) { self.continuation = continuation }

  func resume(_ value: Bool) {
    lock.lock()
    let pending = continuation
    continuation = nil
    lock.unlock()
    pending?.resume(returning: value)
  }
}
