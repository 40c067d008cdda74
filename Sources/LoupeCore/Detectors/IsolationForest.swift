import Foundation

/// An Isolation Forest (Liu, Ting and Zhou, "Isolation Forest", ICDM 2008) with
/// scikit-learn's definitions: `treeCount` trees (100), each grown on `min(256, n)` rows drawn
/// without replacement, splitting on a random feature at a uniform value between the node's
/// minimum and maximum, down to a depth limit of ⌈log₂ ψ⌉. A row's score is
/// `2^(−E[h(x)] / c(ψ))` where `h` is the path length (plus `c(size)` at a leaf holding
/// `size` rows) and `c(n) = 2H(n−1) − 2(n−1)/n`; scores near 1 are anomalies, 0.5 is the
/// 'auto' threshold.
public struct IsolationForest: Sendable, Codable {
  /// One node, stored flat. A split sends rows with `row[feature] < value` to `left`, others
  /// to `right`. A leaf points to itself on both sides with `value` = −∞ (so a row that reaches
  /// it stays there) and holds `pathLength`: its depth plus c(rows in it), the average depth an
  /// unbuilt subtree would add. Every row thus ends on its leaf after `depth` steps of the
  /// same branch-free move.
  struct Node: Sendable, Codable {
    var feature: Int32
    var left: Int32
    var right: Int32
    var value: Double
    var pathLength: Double
  }

  /// The trees, as flat node arrays.
  let trees: [[Node]]
  /// Each tree's deepest leaf.
  let depths: [Int]
  /// The number of rows each tree was grown on.
  public let sampleSize: Int

  /// Fits a forest.
  /// - Parameters:
  ///   - matrix: the training rows.
  ///   - treeCount: the number of trees (default 100).
  ///   - maxSamples: rows per tree (default 256, capped at the number of rows).
  ///   - seed: the random seed; tree `t` uses a generator derived from `seed` and `t`, so the
  ///     forest does not depend on how the trees are spread over cores.
  public init(matrix: FeatureMatrix, treeCount: Int = 100, maxSamples: Int = 256, seed: UInt64) {
    let psi = max(1, min(maxSamples, matrix.rowCount))
    sampleSize = psi
    let depthLimit = Int(ceil(log2(Double(max(psi, 2)))))
    let grown = Parallel.map(treeCount) { tree in
      var random = SeededRandom(seed: seed &+ UInt64(tree) &* 0x9E37_79B9_7F4A_7C15)
      var rows = Self.sampleRows(matrix.rowCount, psi, &random)
      var nodes: [Node] = []
      nodes.reserveCapacity(2 * psi)
      var deepest = 0
      _ = Self.grow(
        matrix, &rows, 0..<rows.count, depth: 0, limit: depthLimit, &random, &nodes, &deepest)
      return (nodes, deepest)
    }
    trees = grown.map(\.0)
    depths = grown.map(\.1)
  }

  private static func sampleRows(_ count: Int, _ size: Int, _ random: inout SeededRandom) -> [Int] {
    guard count > size else { return Array(0..<count) }
    // Partial Fisher–Yates over indices, without materialising all of them when count is large.
    var chosen: [Int: Int] = [:]
    var rows: [Int] = []
    rows.reserveCapacity(size)
    for index in 0..<size {
      let pick = index + random.nextIndex(count - index)
      let valueAtPick = chosen[pick] ?? pick
      let valueAtIndex = chosen[index] ?? index
      chosen[pick] = valueAtIndex
      rows.append(valueAtPick)
    }
    return rows
  }

  private static func grow(
    _ matrix: FeatureMatrix, _ rows: inout [Int], _ range: Range<Int>, depth: Int, limit: Int,
    _ random: inout SeededRandom, _ nodes: inout [Node], _ deepest: inout Int
  ) -> Int32 {
    let index = Int32(nodes.count)
    nodes.append(
      Node(
        feature: 0, left: index, right: index, value: -.infinity,
        pathLength: Double(depth) + averagePathLength(range.count)))
    deepest = max(deepest, depth)
    guard depth < limit, range.count > 1 else { return index }
    // Pick a feature that is not constant on these rows (as scikit-learn does, trying each
    // feature at most once in random order).
    var features = Array(0..<matrix.columnCount)
    var chosen: (feature: Int, low: Double, high: Double)?
    var remaining = features.count
    while remaining > 0 {
      let pick = random.nextIndex(remaining)
      let feature = features[pick]
      features.swapAt(pick, remaining - 1)
      remaining -= 1
      var low = Double.infinity
      var high = -Double.infinity
      for row in rows[range] {
        let value = matrix[row, feature]
        low = min(low, value)
        high = max(high, value)
      }
      if high > low {
        chosen = (feature, low, high)
        break
      }
    }
    guard let chosen else { return index }
    let split = chosen.low + random.nextUnit() * (chosen.high - chosen.low)
    var middle = range.lowerBound
    for position in range where matrix[rows[position], chosen.feature] < split {
      rows.swapAt(position, middle)
      middle += 1
    }
    if middle == range.lowerBound || middle == range.upperBound { return index }
    let left = grow(
      matrix, &rows, range.lowerBound..<middle, depth: depth + 1, limit: limit, &random, &nodes,
      &deepest)
    let right = grow(
      matrix, &rows, middle..<range.upperBound, depth: depth + 1, limit: limit, &random, &nodes,
      &deepest)
    nodes[Int(index)].feature = Int32(chosen.feature)
    nodes[Int(index)].value = split
    nodes[Int(index)].left = left
    nodes[Int(index)].right = right
    return index
  }

  /// The average path length of an unsuccessful search in a binary search tree of `n` nodes.
  static func averagePathLength(_ n: Int) -> Double {
    if n <= 1 { return 0 }
    if n == 2 { return 1 }
    let harmonic = log(Double(n - 1)) + 0.577_215_664_901_532_9
    return 2 * harmonic - 2 * Double(n - 1) / Double(n)
  }

  /// Scores every row of `matrix` (which must have the training columns).
  /// - Returns: one score in 0…1 per row; higher is more anomalous.
  /// - Complexity: O(*n* · trees · depth), spread over all cores.
  public func scores(_ matrix: FeatureMatrix) -> [Double] {
    let normaliser = Self.averagePathLength(sampleSize)
    let chunkCount = min(max(1, matrix.rowCount / 4096), Parallel.coreCount * 4)
    let width = matrix.columnCount
    let chunks = Parallel.map(chunkCount) { chunk -> [Double] in
      let start = matrix.rowCount * chunk / chunkCount
      let end = matrix.rowCount * (chunk + 1) / chunkCount
      var totals = [Double](repeating: 0, count: end - start)
      // Rows go through all trees a block at a time, so that a block's values stay in cache
      // while every tree reads them; within a block, eight rows walk a tree together, so that
      // their independent chains of loads overlap.
      let blockSize = 256
      matrix.values.withUnsafeBufferPointer { values in
        totals.withUnsafeMutableBufferPointer { totals in
          var blockStart = start
          while blockStart < end {
            let blockEnd = min(blockStart + blockSize, end)
            for (tree, depth) in zip(trees, depths) {
              tree.withUnsafeBufferPointer { nodes in
                @inline(__always) func step(_ position: Int, _ row: Int) -> Int {
                  let node = nodes[position]
                  return Int(
                    values[row * width + Int(node.feature)] < node.value ? node.left : node.right)
                }
                var row = blockStart
                while row + 8 <= blockEnd {
                  var (p0, p1, p2, p3, p4, p5, p6, p7) = (0, 0, 0, 0, 0, 0, 0, 0)
                  for _ in 0..<depth {
                    p0 = step(p0, row)
                    p1 = step(p1, row + 1)
                    p2 = step(p2, row + 2)
                    p3 = step(p3, row + 3)
                    p4 = step(p4, row + 4)
                    p5 = step(p5, row + 5)
                    p6 = step(p6, row + 6)
                    p7 = step(p7, row + 7)
                  }
                  let base = row - start
                  totals[base] += nodes[p0].pathLength
                  totals[base + 1] += nodes[p1].pathLength
                  totals[base + 2] += nodes[p2].pathLength
                  totals[base + 3] += nodes[p3].pathLength
                  totals[base + 4] += nodes[p4].pathLength
                  totals[base + 5] += nodes[p5].pathLength
                  totals[base + 6] += nodes[p6].pathLength
                  totals[base + 7] += nodes[p7].pathLength
                  row += 8
                }
                while row < blockEnd {
                  var position = 0
                  for _ in 0..<depth { position = step(position, row) }
                  totals[row - start] += nodes[position].pathLength
                  row += 1
                }
              }
            }
            blockStart = blockEnd
          }
        }
      }
      let treeCount = Double(max(trees.count, 1))
      return totals.map { normaliser > 0 ? pow(2, -($0 / treeCount) / normaliser) : 0.5 }
    }
    return chunks.flatMap { $0 }
  }
}
