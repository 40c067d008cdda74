/// An exact k-nearest-neighbour index (Euclidean distance) over the rows of a matrix: a k-d
/// tree (Bentley 1975) that splits each node at the median of the dimension where its rows vary most, keeps each
/// node's bounding box, and answers a query depth-first, nearer child first, skipping every
/// node whose box is farther than the current k-th neighbour. The answers are the same as a
/// brute-force search; only the work differs.
public struct KDTree: Sendable {
  /// A node: its rows are `points[start..<end]`; a leaf has no children (`left < 0`).
  struct Node: Sendable {
    var start: Int32
    var end: Int32
    var left: Int32
    var right: Int32
  }

  /// The k nearest rows of each query row, flattened: entries `q·k ..< (q+1)·k` belong to
  /// query row `q`, nearest first.
  public struct Neighbourhood: Sendable {
    /// Neighbours per query row.
    public var k: Int
    /// Euclidean distances.
    public var distances: [Double]
    /// Indices of the neighbours among the indexed rows.
    public var indices: [Int]
  }

  /// The indexed rows, reordered so that each node's rows are contiguous (row-major).
  let points: [Double]
  /// `order[i]`: the original index of reordered row `i`.
  let order: [Int]
  /// The number of columns.
  let width: Int
  /// The rotation applied to rows before indexing (and to queries).
  let axes: PrincipalAxes
  let nodes: [Node]
  /// Bounding boxes, `width` values per node.
  let lower: [Double]
  let upper: [Double]

  /// The number of indexed rows.
  public var count: Int { order.count }

  /// Builds the index over `matrix`'s rows.
  /// - Parameters:
  ///   - matrix: the rows to index.
  ///   - leafSize: the most rows a leaf holds.
  public init(_ matrix: FeatureMatrix, leafSize: Int = 24) {
    // Rows are indexed along their principal axes: a rotation keeps every distance, and
    // correlated features, split along their own directions, give far tighter boxes.
    let axes = PrincipalAxes(matrix.sampledRows(20_000))
    self.axes = axes
    let matrix = axes.project(matrix)
    width = matrix.columnCount
    var rows = Array(0..<matrix.rowCount)
    var nodes: [Node] = []
    var lower: [Double] = []
    var upper: [Double] = []
    Self.build(
      matrix, &rows, 0..<rows.count, max(1, leafSize), &nodes, &lower, &upper)
    var points = [Double](repeating: 0, count: rows.count * width)
    for (position, row) in rows.enumerated() {
      for column in 0..<width {
        points[position * width + column] = matrix.values[row * width + column]
      }
    }
    self.points = points
    order = rows
    self.nodes = nodes
    self.lower = lower
    self.upper = upper
  }

  @discardableResult
  private static func build(
    _ matrix: FeatureMatrix, _ rows: inout [Int], _ range: Range<Int>, _ leafSize: Int,
    _ nodes: inout [Node], _ lower: inout [Double], _ upper: inout [Double]
  ) -> Int32 {
    let width = matrix.columnCount
    let index = Int32(nodes.count)
    nodes.append(
      Node(start: Int32(range.lowerBound), end: Int32(range.upperBound), left: -1, right: -1))
    var low = [Double](repeating: .infinity, count: width)
    var high = [Double](repeating: -.infinity, count: width)
    var sums = [Double](repeating: 0, count: width)
    var squares = [Double](repeating: 0, count: width)
    for position in range {
      let base = rows[position] * width
      for column in 0..<width {
        let value = matrix.values[base + column]
        low[column] = min(low[column], value)
        high[column] = max(high[column], value)
        sums[column] += value
        squares[column] += value * value
      }
    }
    if range.isEmpty {
      low = [Double](repeating: 0, count: width)
      high = low
    }
    lower += low
    upper += high
    guard range.count > leafSize, width > 0 else { return index }
    // Split where the rows vary most (by variance, not range: a few far outliers would
    // otherwise send splits along directions where the bulk of the rows hardly vary).
    let count = Double(range.count)
    let variances = (0..<width).map {
      squares[$0] / count - (sums[$0] / count) * (sums[$0] / count)
    }
    var widest = 0
    for column in 1..<width where variances[column] > variances[widest] { widest = column }
    guard high[widest] > low[widest] else { return index }
    let middle = range.lowerBound + range.count / 2
    Selection.place(&rows, range, middle) { matrix.values[$0 * width + widest] }
    let left = build(matrix, &rows, range.lowerBound..<middle, leafSize, &nodes, &lower, &upper)
    let right = build(matrix, &rows, middle..<range.upperBound, leafSize, &nodes, &lower, &upper)
    nodes[Int(index)].left = left
    nodes[Int(index)].right = right
    return index
  }

  /// The `k` nearest indexed rows of every row of `queries`, on all cores.
  /// - Parameters:
  ///   - queries: rows with the indexed columns.
  ///   - k: neighbours per row (at most the number of indexed rows, less one with
  ///     `excludingSelf`).
  ///   - excludingSelf: `queries` is the indexed matrix and a row is not its own neighbour (as
  ///     in scikit-learn's `kneighbors()` without arguments; its duplicates still count).
  public func neighbours(of queries: FeatureMatrix, k: Int, excludingSelf: Bool) -> Neighbourhood {
    let k = max(0, min(k, count - (excludingSelf ? 1 : 0)))
    let rowCount = queries.rowCount
    let chunkCount = min(max(1, rowCount / 2048), Parallel.coreCount * 8)
    // The indexed rows are asked in tree order, so that consecutive queries are close and walk
    // the same nodes while those are in cache.
    let inTreeOrder = excludingSelf && rowCount == count
    let queries = inTreeOrder ? queries : axes.project(queries)
    let chunks = Parallel.map(chunkCount) { chunk -> ([Double], [Int]) in
      let start = rowCount * chunk / chunkCount
      let end = rowCount * (chunk + 1) / chunkCount
      var distances: [Double] = []
      var indices: [Int] = []
      distances.reserveCapacity((end - start) * k)
      indices.reserveCapacity((end - start) * k)
      var search = Search(capacity: k + (excludingSelf ? 1 : 0))
      let source = inTreeOrder ? points : queries.values
      source.withUnsafeBufferPointer { values in
        for position in start..<end {
          let query = UnsafeBufferPointer(
            rebasing: values[position * width..<(position + 1) * width])
          search.reset()
          self.search(query, &search)
          let row = inTreeOrder ? order[position] : position
          var taken = 0
          for slot in 0..<search.count where taken < k {
            let original = order[search.indices[slot]]
            if excludingSelf && original == row { continue }
            distances.append(search.distances[slot].squareRoot())
            indices.append(original)
            taken += 1
          }
        }
      }
      return (distances, indices)
    }
    guard inTreeOrder else {
      return Neighbourhood(k: k, distances: chunks.flatMap(\.0), indices: chunks.flatMap(\.1))
    }
    var distances = [Double](repeating: 0, count: rowCount * k)
    var indices = [Int](repeating: 0, count: rowCount * k)
    var position = 0
    for (chunkDistances, chunkIndices) in chunks {
      for offset in stride(from: 0, to: chunkDistances.count, by: max(k, 1)) {
        let row = order[position]
        for slot in 0..<k {
          distances[row * k + slot] = chunkDistances[offset + slot]
          indices[row * k + slot] = chunkIndices[offset + slot]
        }
        position += 1
      }
    }
    return Neighbourhood(k: k, distances: distances, indices: indices)
  }

  /// The best candidates so far, nearest first (squared distances, reordered-row indices).
  struct Search {
    var distances: [Double]
    var indices: [Int]
    var count = 0
    let capacity: Int

    init(capacity: Int) {
      self.capacity = capacity
      distances = [Double](repeating: .infinity, count: max(capacity, 1))
      indices = [Int](repeating: -1, count: max(capacity, 1))
    }

    mutating func reset() {
      count = 0
      for slot in distances.indices { distances[slot] = .infinity }
    }

    /// The distance a candidate must beat.
    var bound: Double { count < capacity ? .infinity : distances[capacity - 1] }

    mutating func offer(_ distance: Double, _ index: Int) {
      guard capacity > 0, distance < bound else { return }
      var slot = min(count, capacity - 1)
      while slot > 0 && distances[slot - 1] > distance {
        distances[slot] = distances[slot - 1]
        indices[slot] = indices[slot - 1]
        slot -= 1
      }
      distances[slot] = distance
      indices[slot] = index
      count = min(count + 1, capacity)
    }
  }

  private func search(_ query: UnsafeBufferPointer<Double>, _ search: inout Search) {
    points.withUnsafeBufferPointer { points in
      lower.withUnsafeBufferPointer { lower in
        upper.withUnsafeBufferPointer { upper in
          nodes.withUnsafeBufferPointer { nodes in
            visit(0, query, points, lower, upper, nodes, &search)
          }
        }
      }
    }
  }

  /// The squared distance from `query` to node `node`'s bounding box (0 inside it).
  @inline(__always)
  private func boxDistance(
    _ node: Int, _ query: UnsafeBufferPointer<Double>, _ lower: UnsafeBufferPointer<Double>,
    _ upper: UnsafeBufferPointer<Double>
  ) -> Double {
    let base = node * width
    @inline(__always) func gap(_ column: Int) -> Double {
      let value = query[column]
      let outside = max(0, max(lower[base + column] - value, value - upper[base + column]))
      return outside * outside
    }
    return Self.sum(width, gap)
  }

  /// The squared distance between `query` and reordered row `position`.
  @inline(__always)
  private func squaredDistance(
    _ position: Int, _ query: UnsafeBufferPointer<Double>, _ points: UnsafeBufferPointer<Double>
  ) -> Double {
    let base = position * width
    @inline(__always) func term(_ column: Int) -> Double {
      let difference = points[base + column] - query[column]
      return difference * difference
    }
    return Self.sum(width, term)
  }

  /// `Σ term(c)` for `c < count`, in four independent running sums so that the additions
  /// overlap instead of waiting for each other.
  @inline(__always)
  private static func sum(_ count: Int, _ term: (Int) -> Double) -> Double {
    var (s0, s1, s2, s3) = (0.0, 0.0, 0.0, 0.0)
    var column = 0
    while column + 4 <= count {
      s0 += term(column)
      s1 += term(column + 1)
      s2 += term(column + 2)
      s3 += term(column + 3)
      column += 4
    }
    while column < count {
      s0 += term(column)
      column += 1
    }
    return (s0 + s1) + (s2 + s3)
  }

  private func visit(
    _ node: Int, _ query: UnsafeBufferPointer<Double>, _ points: UnsafeBufferPointer<Double>,
    _ lower: UnsafeBufferPointer<Double>, _ upper: UnsafeBufferPointer<Double>,
    _ nodes: UnsafeBufferPointer<Node>, _ search: inout Search
  ) {
    guard nodes.indices.contains(node) else { return }
    let current = nodes[node]
    if current.left < 0 {
      for position in Int(current.start)..<Int(current.end) {
        search.offer(squaredDistance(position, query, points), position)
      }
      return
    }
    let left = Int(current.left)
    let right = Int(current.right)
    let leftDistance = boxDistance(left, query, lower, upper)
    let rightDistance = boxDistance(right, query, lower, upper)
    let (near, nearDistance, far, farDistance) =
      leftDistance <= rightDistance
      ? (left, leftDistance, right, rightDistance) : (right, rightDistance, left, leftDistance)
    if nearDistance < search.bound {
      visit(near, query, points, lower, upper, nodes, &search)
    }
    if farDistance < search.bound {
      visit(far, query, points, lower, upper, nodes, &search)
    }
  }
}
