import Foundation

/// Runs independent jobs on all cores and returns their results in job order.
public enum Parallel {
  /// Computes `body(0)`, …, `body(count - 1)` concurrently.
  /// - Parameters:
  ///   - count: the number of jobs.
  ///   - threads: the most cores to use (1 runs the jobs one after the other here).
  ///   - body: a job; it must not depend on the others.
  /// - Returns: the results, in job order.
  public static func map<T: Sendable>(
    _ count: Int, threads: Int = coreCount, _ body: @Sendable (Int) -> T
  ) -> [T] {
    guard count > 1, threads > 1 else { return (0..<count).map { body($0) } }
    let results = ResultSlots<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { index in
      results.set(index, body(index))
    }
    return results.values()
  }

  /// The number of cores to use.
  public static var coreCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}

/// Slots written once each from concurrent jobs, read after all have finished.
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
  private var slots: [T?]
  private let lock = NSLock()

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func set(_ index: Int, _ value: T) {
    lock.lock()
    slots[index] = value
    lock.unlock()
  }

  func values() -> [T] {
    lock.lock()
    defer { lock.unlock() }
    return slots.compactMap { $0 }
  }
}
