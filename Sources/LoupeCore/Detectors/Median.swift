/// Medians by selection (Hoare's quickselect, median-of-three pivots) in linear expected time
/// instead of a sort; after 64 rounds without converging it sorts what is left, so no input
/// makes it quadratic.
enum Median {
  /// The two middle values of `values` in order (equal for an odd count), reordering `values`.
  /// `values` must not be empty and must hold no NaN.
  static func middleValues(_ values: inout [Double]) -> (low: Double, high: Double) {
    let middle = values.count / 2
    placeOrdered(&values, middle)
    let high = values[middle]
    guard values.count % 2 == 0 else { return (high, high) }
    // Everything before `middle` is at most `high`; the largest of it is the lower middle.
    var low = values[0]
    for index in 1..<middle { low = max(low, values[index]) }
    return (low, high)
  }

  /// The median of `values` (the mean of the two middle values for an even count).
  static func of(_ values: [Double]) -> Double {
    var copy = values
    let (low, high) = middleValues(&copy)
    return (low + high) / 2
  }

  /// Moves the `k`-th smallest value to index `k`, with values at most it before and at least
  /// it after.
  static func placeOrdered(_ values: inout [Double], _ k: Int) {
    var low = 0
    var high = values.count - 1
    var rounds = 0
    while low < high {
      rounds += 1
      guard rounds <= 64 else {
        values[low...high].sort()
        return
      }
      let pivot = medianOfThree(values[low], values[low + (high - low) / 2], values[high])
      var left = low
      var right = high
      while left <= right {
        while values[left] < pivot { left += 1 }
        while values[right] > pivot { right -= 1 }
        if left <= right {
          values.swapAt(left, right)
          left += 1
          right -= 1
        }
      }
      if k <= right {
        high = right
      } else if k >= left {
        low = left
      } else {
        return
      }
    }
  }

  private static func medianOfThree(_ a: Double, _ b: Double, _ c: Double) -> Double {
    max(min(a, b), min(max(a, b), c))
  }
}
