import Testing

@testable import LoupeCore

@Suite struct IsolationForestTests {
  /// 2,000 Gaussian inliers around the origin in 4 dimensions, and 20 outliers far out.
  func plantedOutliers(seed: UInt64) -> (FeatureMatrix, Set<Int>) {
    var random = SeededRandom(seed: seed)
    func gaussian() -> Double {
      let u = max(random.nextUnit(), 1e-12)
      let v = random.nextUnit()
      return (-2 * _log(u)).squareRoot() * _cos(2 * Double.pi * v)
    }
    var values: [Double] = []
    var outliers = Set<Int>()
    for row in 0..<2020 {
      let isOutlier = row % 101 == 100
      if isOutlier { outliers.insert(row) }
      for _ in 0..<4 { values.append(isOutlier ? 6 + gaussian() : gaussian()) }
    }
    return (FeatureMatrix(columns: ["a", "b", "c", "d"], values: values, rowCount: 2020), outliers)
  }

  func rocAUC(_ scores: [Double], _ positives: Set<Int>) -> Double {
    let ranked = scores.indices.sorted { scores[$0] < scores[$1] }
    var rankSum = 0.0
    for (rank, index) in ranked.enumerated() where positives.contains(index) {
      rankSum += Double(rank + 1)
    }
    let p = Double(positives.count)
    let n = Double(scores.count) - p
    return (rankSum - p * (p + 1) / 2) / (p * n)
  }

  @Test func separatesPlantedOutliers() {
    let (matrix, outliers) = plantedOutliers(seed: 1)
    let scores = IsolationForest(matrix: matrix, seed: 42).scores(matrix)
    #expect(rocAUC(scores, outliers) > 0.99)
    let flagged = Set(scores.indices.filter { scores[$0] > 0.6 })
    #expect(flagged.isSuperset(of: outliers))
    #expect(scores.allSatisfy { $0 > 0 && $0 < 1 })
  }

  @Test func sameSeedSameScoresOtherSeedOtherForest() {
    let (matrix, _) = plantedOutliers(seed: 2)
    let first = IsolationForest(matrix: matrix, seed: 7).scores(matrix)
    let again = IsolationForest(matrix: matrix, seed: 7).scores(matrix)
    let other = IsolationForest(matrix: matrix, seed: 8).scores(matrix)
    #expect(first == again)
    #expect(first != other)
  }

  @Test func averagePathLengthMatchesScikitLearn() {
    #expect(IsolationForest.averagePathLength(1) == 0)
    #expect(IsolationForest.averagePathLength(2) == 1)
    // scikit-learn: _average_path_length([256]) = 10.244770920116851
    #expect(abs(IsolationForest.averagePathLength(256) - 10.244770920116851) < 1e-9)
  }

  @Test func thresholds() {
    let scores = (0..<1000).map { Double($0) / 1000 }
    #expect(OutlierThreshold.cut(scores, contamination: nil) > 0.98)
    let share = OutlierThreshold.cut(scores, contamination: 0.1)
    #expect(scores.filter { $0 > share }.count == 100)
    let flat = [Double](repeating: 0.45, count: 100)
    #expect(OutlierThreshold.cut(flat, contamination: nil) == 0.5)
  }
}
