import Foundation

/// Tail probabilities of a Poisson distribution in log₁₀, exact for any mean (no underflow at
/// the means of busy logs, where `e^−λ` is 0 in floating point).
enum PoissonTail {
  /// log₁₀ P(X = k) for X ~ Poisson(mean).
  static func log10Point(_ k: Int, mean: Double) -> Double {
    guard mean > 0 else { return k == 0 ? 0 : -.infinity }
    let natural = Double(k) * log(mean) - mean - lgamma(Double(k) + 1)
    return natural / M_LN10
  }

  /// log₁₀ P(X ≥ k); 0 when `k` ≤ the mean (the tail is then not small, and not needed).
  static func log10Upper(atLeast k: Int, mean: Double) -> Double {
    guard Double(k) > mean, k > 0 else { return 0 }
    // P(X ≥ k) = P(k) · (1 + λ/(k+1) + λ²/((k+1)(k+2)) + …), terms shrinking geometrically.
    var sum = 1.0
    var term = 1.0
    var j = k
    while term > 1e-17 * sum {
      j += 1
      term *= mean / Double(j)
      sum += term
      if j - k > 100_000 { break }
    }
    return min(0, log10Point(k, mean: mean) + log10(sum))
  }

  /// log₁₀ P(X ≤ k); 0 when `k` ≥ the mean.
  static func log10Lower(atMost k: Int, mean: Double) -> Double {
    guard Double(k) < mean, k >= 0 else { return 0 }
    // P(X ≤ k) = P(k) · (1 + k/λ + k(k−1)/λ² + …).
    var sum = 1.0
    var term = 1.0
    var j = k
    while j > 0, term > 1e-17 * sum {
      term *= Double(j) / mean
      sum += term
      j -= 1
    }
    return min(0, log10Point(k, mean: mean) + log10(sum))
  }
}
