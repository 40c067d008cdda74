import Foundation

/// Counting occurrences in sliding windows of records, and judging counts against a Poisson
/// model (``PoissonTail``): shared by the rules' recurrence discount and the burst detector.
enum BurstStatistics {
  /// For each occurrence (positions sorted), the index of the last occurrence less than
  /// `window` records after it.
  /// - Complexity: O(*n*), two pointers.
  static func windowEnds(_ positions: [Int], window: Int) -> [Int] {
    var ends = [Int](repeating: 0, count: positions.count)
    var end = 0
    for start in positions.indices {
      if end < start { end = start }
      while end + 1 < positions.count, positions[end + 1] - positions[start] < window { end += 1 }
      ends[start] = end
    }
    return ends
  }

  /// Whether `count` occurrences in one window are improbable for a key with `positions`
  /// occurrences among `total` records: at least 5, the key under 5% of the records (a large
  /// share is the input's main content, not a burst), and a Poisson tail below one in a million.
  static func isBurst(count: Int, occurrences: Int, total: Int, window: Int) -> Bool {
    guard count >= 5, occurrences * 20 <= max(total, 1) else { return false }
    let expected = Double(occurrences) * Double(window) / Double(max(total, 1))
    return PoissonTail.log10Upper(atLeast: count, mean: expected) < -6
  }
}
