/// A first-come, first-served lock for async code: one holder at a time, waiters resumed in
/// order.
actor AsyncLock {
  private var held = false
  private var waiters: [CheckedContinuation<Void, Never>] = []

  /// Runs `body` holding the lock.
  func withLock<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
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
