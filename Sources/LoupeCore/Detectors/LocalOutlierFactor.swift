import Foundation

/// Local Outlier Factor (Breunig, Kriegel, Ng and Sander, SIGMOD 2000) with scikit-learn's
/// definitions: for `k` neighbours (20), the k-distance of a row is the distance to its k-th
/// nearest neighbour; the reachability distance from `p` to a neighbour `o` is
/// `max(k-distance(o), d(p, o))`; the local reachability density is
/// `lrd(p) = 1 / (mean reachability distance to p's neighbours + 1e-10)`; and
/// `LOF(p) = mean lrd of p's neighbours / lrd(p)`. About 1 inside a cluster; well above 1 for
/// a row in a sparser place than its neighbours. Neighbours come from an exact ``KDTree``.
public struct LocalOutlierFactor: Sendable {
  /// The neighbourhood size.
  public let k: Int
  /// Distances below this count as this much (0 = scikit-learn's definition). Logs repeat
  /// records exactly; a floor keeps a near-copy of a repeated record from looking infinitely
  /// sparse next to the zero distances of the copies.
  public let minimumDistance: Double
  /// The training rows' index, k-distances and densities.
  let tree: KDTree
  let kDistances: [Double]
  let densities: [Double]
  /// The training rows' factors.
  public let trainingFactors: [Double]

  /// Fits on `matrix` (scaled as the caller wants distances measured).
  /// - Parameters:
  ///   - matrix: the training rows.
  ///   - k: the neighbourhood size (capped at rows − 1).
  ///   - minimumDistance: the distance floor (0 for the textbook definition).
  public init(_ matrix: FeatureMatrix, k: Int = 20, minimumDistance: Double = 0) {
    self.k = max(1, min(k, matrix.rowCount - 1))
    self.minimumDistance = minimumDistance
    tree = KDTree(matrix)
    let neighbourhood = tree.neighbours(of: matrix, k: self.k, excludingSelf: true)
    let floor = minimumDistance
    let kk = neighbourhood.k
    let kDistances = (0..<matrix.rowCount).map { row in
      kk > 0 ? max(floor, neighbourhood.distances[row * kk + kk - 1]) : 0
    }
    let densities = Self.densities(neighbourhood, kDistances: kDistances, floor: floor)
    self.kDistances = kDistances
    self.densities = densities
    trainingFactors = Self.factors(neighbourhood, own: densities, training: densities)
  }

  /// The factors of new rows, against the training rows (scikit-learn's `novelty=True`).
  public func factors(_ matrix: FeatureMatrix) -> [Double] {
    let neighbourhood = tree.neighbours(of: matrix, k: k, excludingSelf: false)
    let own = Self.densities(neighbourhood, kDistances: kDistances, floor: minimumDistance)
    return Self.factors(neighbourhood, own: own, training: densities)
  }

  private static func densities(
    _ neighbourhood: KDTree.Neighbourhood, kDistances: [Double], floor: Double
  ) -> [Double] {
    let k = neighbourhood.k
    guard k > 0 else { return [] }
    let rows = neighbourhood.distances.count / k
    return (0..<rows).map { row in
      var total = 0.0
      for slot in row * k..<(row + 1) * k {
        let distance = max(floor, neighbourhood.distances[slot])
        total += max(kDistances[neighbourhood.indices[slot]], distance)
      }
      return 1 / (total / Double(k) + 1e-10)
    }
  }

  private static func factors(
    _ neighbourhood: KDTree.Neighbourhood, own: [Double], training: [Double]
  ) -> [Double] {
    let k = neighbourhood.k
    guard k > 0 else { return own.map { _ in 1 } }
    return own.indices.map { row in
      var total = 0.0
      for slot in row * k..<(row + 1) * k { total += training[neighbourhood.indices[slot]] }
      return total / Double(k) / own[row]
    }
  }

  /// A factor mapped to 0…1 for scoring: `1 − 2^(−2·(LOF − 1))`, so 1 (a typical row) is 0,
  /// scikit-learn's 'auto' cut of 1.5 is 0.5, 2 is 0.75 and 3 is 0.94.
  public static func score(factor: Double) -> Double {
    guard factor.isFinite else { return 1 }
    return max(0, 1 - exp2(-2 * (factor - 1)))
  }
}
