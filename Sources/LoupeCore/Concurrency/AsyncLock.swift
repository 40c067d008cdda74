/// A first-come, first-served lock for async code: one holder at a time, waiters resumed in
/// order. Used where async work must not interleave: SQLite transactions that span several
/// calls, and alert dispatches sharing one cool-down file.
public actor AsyncLock {
  private var held = false
  private var waiters: [CheckedContinuation<Void, Never>] = []

  /// A free lock.
  public init() {}

  /// Runs `body` holding the lock.
  public func withLock<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
    await acquire()
    defer { release() }
    return try await body()
  }

  private func acquire() async {
    if !held {
      held = true
      return
    }
    await withCheckedContinuation { waiters.append($0) }
  }

  private func release() {
    if waiters.isEmpty {
      held = false
    } else {
      waiters.removeFirst().resume()
    }
  }
}
