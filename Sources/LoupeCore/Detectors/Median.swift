/// Medians by selection (``Selection``) in linear expected time instead of a sort.
enum Median {
  /// The two middle values of `values` in order (equal for an odd count), reordering `values`.
  /// `values` must not be empty and must hold no NaN.
  static func middleValues(_ values: inout [Double]) -> (low: Double, high: Double) {
    let middle = values.count / 2
    Selection.place(&values, values.indices, middle) { $0 }
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
}
