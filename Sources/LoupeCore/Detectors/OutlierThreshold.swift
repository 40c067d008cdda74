/// Where the statistical detectors (Isolation Forest, LOF, autoencoder) draw the line between
/// normal and anomalous scores.
///
/// With a `contamination` share, the cut leaves that share of rows above it (rows tied at the
/// cut are not flagged, as in scikit-learn). With 'auto', it is the higher of 0.5 (each
/// detector's own natural cut: scikit-learn's for the forest, LOF 1.5, the autoencoder's
/// validation 99th percentile) and the input's 99th-percentile score, so that at most about 1%
/// of rows are flagged whatever the data.
public enum OutlierThreshold {
  /// The share of rows that 'auto' allows at most.
  public static let autoShare = 0.01

  /// The cut for `scores`.
  /// - Parameters:
  ///   - scores: every row's score in 0…1.
  ///   - contamination: the share to flag, or `nil` for 'auto'.
  /// - Returns: rows scoring strictly above it are anomalous.
  public static func cut(_ scores: [Double], contamination: Double?) -> Double {
    guard !scores.isEmpty else { return 0.5 }
    let sorted = scores.sorted()
    func quantileCut(_ share: Double) -> Double {
      let flagged = Int(Double(sorted.count) * min(share, 0.5))
      return sorted[max(0, sorted.count - flagged - 1)]
    }
    guard let contamination, contamination > 0 else { return max(0.5, quantileCut(autoShare)) }
    return quantileCut(contamination)
  }

  /// The rows scoring above `cut`, each with `finding(row)` and the features on which it is
  /// furthest from the typical row (``ColumnStatistics``) as its reason.
  static func hits(
    _ scores: [Double], above cut: Double, features: FeatureMatrix, records: Int,
    finding: (Int) -> String
  ) -> [DetectorHit] {
    let profile = ColumnStatistics(features)
    return scores.enumerated().filter { $0.element > cut }.map { row, score in
      DetectorHit(
        record: row, score: score,
        reason: finding(row) + ": " + profile.explain(row: row, in: features, records: records),
        tags: ["statistical"])
    }
  }
}
