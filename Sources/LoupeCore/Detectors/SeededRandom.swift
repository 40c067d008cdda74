/// A small, fast, seedable generator (SplitMix64, Steele et al. 2014): the same seed gives
/// the same sequence on every machine, which makes every detector deterministic.
public struct SeededRandom: RandomNumberGenerator, Sendable {
  private var state: UInt64

  /// Creates a generator from `seed`.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var mixed = state
    mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
    mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
    return mixed ^ (mixed >> 31)
  }

  /// A uniform `Double` in `0..<1`.
  public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

  /// A uniform integer in `0..<bound`.
  public mutating func nextIndex(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
}
