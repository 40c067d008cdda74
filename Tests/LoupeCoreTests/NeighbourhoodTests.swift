import Foundation
import Testing

@testable import LoupeCore

@Suite struct NeighbourhoodTests {
  /// Rows on a tilted plane in 6 dimensions with noise, some exact repeats, and a few far rows.
  func sample(rows: Int, seed: UInt64) -> FeatureMatrix {
    var random = SeededRandom(seed: seed)
    var values: [Double] = []
    for row in 0..<rows {
      if row % 50 == 7, row > 0 {
        values += values[(row - 1) * 6..<row * 6]
        continue
      }
      let a = random.nextGaussian()
      let b = random.nextGaussian()
      let far = row % 97 == 3 ? 8.0 : 0
      for column in 0..<6 {
        values.append(
          a * Double(column + 1) - b * Double(column % 3) + 0.05 * random.nextGaussian() + far)
      }
    }
    return FeatureMatrix(columns: (0..<6).map { "c\($0)" }, values: values, rowCount: rows)
  }

  func bruteForce(_ matrix: FeatureMatrix, row: Int, k: Int, excludingSelf: Bool) -> [Double] {
    var distances: [Double] = []
    for other in 0..<matrix.rowCount where !(excludingSelf && other == row) {
      var total = 0.0
      for column in 0..<matrix.columnCount {
        let difference = matrix[row, column] - matrix[other, column]
        total += difference * difference
      }
      distances.append(total.squareRoot())
    }
    return Array(distances.sorted().prefix(k))
  }

  @Test func kdTreeFindsTheSameNeighboursAsBruteForce() {
    let matrix = sample(rows: 1200, seed: 3)
    let tree = KDTree(matrix, leafSize: 8)
    let found = tree.neighbours(of: matrix, k: 20, excludingSelf: true)
    #expect(found.k == 20)
    for row in stride(from: 0, to: matrix.rowCount, by: 37) {
      let expected = bruteForce(matrix, row: row, k: 20, excludingSelf: true)
      let got = Array(found.distances[row * 20..<(row + 1) * 20])
      #expect(zip(expected, got).allSatisfy { abs($0 - $1) < 1e-9 }, "row \(row)")
      #expect(!found.indices[row * 20..<(row + 1) * 20].contains(row))
    }
    // New rows (not excluding themselves): the row itself is found at distance 0.
    let queries = matrix.rows([5, 500, 999])
    let again = tree.neighbours(of: queries, k: 3, excludingSelf: false)
    #expect(again.distances[0] < 1e-9 && again.distances[3] < 1e-9 && again.distances[6] < 1e-9)
    #expect(
      Array(again.distances[3..<6]).enumerated().allSatisfy {
        abs($0.element - bruteForce(matrix, row: 500, k: 3, excludingSelf: false)[$0.offset]) < 1e-9
      })
  }

  @Test func principalAxesKeepDistancesAndOrderVariances() {
    let matrix = sample(rows: 400, seed: 5)
    let axes = PrincipalAxes(matrix)
    #expect(zip(axes.variances, axes.variances.dropFirst()).allSatisfy { $0 >= $1 - 1e-12 })
    let projected = axes.project(matrix)
    for (first, second) in [(0, 1), (10, 300), (42, 399)] {
      var before = 0.0
      var after = 0.0
      for column in 0..<6 {
        before += pow(matrix[first, column] - matrix[second, column], 2)
        after += pow(projected[first, column] - projected[second, column], 2)
      }
      #expect(abs(before - after) < 1e-9 * max(1, before))
    }
    // A diagonal covariance has its own axes as eigenvectors.
    let (values, _) = PrincipalAxes.eigen([4, 0, 0, 1], 2)
    #expect(Set(values.map { $0.rounded() }) == [4, 1])
  }

  /// LOF as the paper and scikit-learn define it, by brute force.
  func referenceFactors(_ matrix: FeatureMatrix, k: Int) -> [Double] {
    let n = matrix.rowCount
    var neighbours: [[(Int, Double)]] = []
    for row in 0..<n {
      var all: [(Int, Double)] = []
      for other in 0..<n where other != row {
        var total = 0.0
        for column in 0..<matrix.columnCount {
          total += pow(matrix[row, column] - matrix[other, column], 2)
        }
        all.append((other, total.squareRoot()))
      }
      all.sort { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
      neighbours.append(Array(all.prefix(k)))
    }
    let kDistance = neighbours.map { $0[k - 1].1 }
    let lrd = neighbours.map { list in
      1 / (list.map { max(kDistance[$0.0], $0.1) }.reduce(0, +) / Double(k) + 1e-10)
    }
    return (0..<n).map { row in
      neighbours[row].map { lrd[$0.0] }.reduce(0, +) / Double(k) / lrd[row]
    }
  }

  @Test func localOutlierFactorMatchesTheDefinition() {
    var random = SeededRandom(seed: 11)
    var values: [Double] = []
    for row in 0..<300 {
      let shift = row % 60 == 0 ? 5.0 : 0
      for _ in 0..<4 { values.append(random.nextGaussian() + shift) }
    }
    let matrix = FeatureMatrix(columns: ["a", "b", "c", "d"], values: values, rowCount: 300)
    let lof = LocalOutlierFactor(matrix, k: 20)
    let expected = referenceFactors(matrix, k: 20)
    #expect(zip(lof.trainingFactors, expected).allSatisfy { abs($0 - $1) < 1e-9 })
    let top = lof.trainingFactors.indices.sorted {
      lof.trainingFactors[$0] > lof.trainingFactors[$1]
    }
    #expect(Set(top.prefix(5)) == [0, 60, 120, 180, 240])
    #expect(LocalOutlierFactor.score(factor: 1) == 0)
    #expect(abs(LocalOutlierFactor.score(factor: 1.5) - 0.5) < 1e-12)
    // Novelty scoring: a far new row scores high, a typical one near 1.
    let novel = lof.factors(
      FeatureMatrix(columns: ["a", "b", "c", "d"], values: [9, 9, 9, 9, 0, 0, 0, 0], rowCount: 2))
    #expect(novel[0] > 3 && novel[1] < 1.5)
  }

  @Test func localOutlierFactorFloorTamesExactRepeats() {
    // 200 copies of one row and a row next to them: without a floor the neighbour looks
    // infinitely isolated; with one it does not.
    var values: [Double] = []
    for _ in 0..<200 { values += [1, 1] }
    values += [1.1, 1]
    for index in 0..<50 { values += [Double(index % 7), Double(index % 5)] }
    let matrix = FeatureMatrix(columns: ["a", "b"], values: values, rowCount: 251)
    let raw = LocalOutlierFactor(matrix, k: 20).trainingFactors[200]
    let floored = LocalOutlierFactor(matrix, k: 20, minimumDistance: 0.5).trainingFactors[200]
    #expect(raw > 1e6)
    #expect(floored < 2)
  }
}
