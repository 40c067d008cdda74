/// Hoare's selection: puts the element that belongs at one position of a sorted order there in
/// linear expected time, without sorting the rest. After 64 rounds without converging it sorts
/// what is left, so no input makes it quadratic.
enum Selection {
  /// Reorders `elements[range]` so that position `target` holds the element it would hold if
  /// the range were sorted by `key`, with no larger key before it and no smaller after.
  /// Keys must not be NaN.
  static func place<Element>(
    _ elements: inout [Element], _ range: Range<Int>, _ target: Int,
    by key: (Element) -> Double
  ) {
    var low = range.lowerBound
    var high = range.upperBound - 1
    var rounds = 0
    while low < high {
      rounds += 1
      guard rounds <= 64 else {
        elements[low...high].sort { key($0) < key($1) }
        return
      }
      let pivot = key(elements[low + (high - low) / 2])
      var left = low
      var right = high
      while left <= right {
        while key(elements[left]) < pivot { left += 1 }
        while key(elements[right]) > pivot { right -= 1 }
        if left <= right {
          elements.swapAt(left, right)
          left += 1
          right -= 1
        }
      }
      if target <= right {
        high = right
      } else if target >= left {
        low = left
      } else {
        return
      }
    }
  }
}
