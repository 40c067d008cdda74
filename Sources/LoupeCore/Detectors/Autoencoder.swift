import Foundation

/// A small dense autoencoder trained to reproduce its (standardised) input through a narrow
/// middle layer; rows it reproduces badly are unlike the rows it learned from.
///
/// Layers N→32→16→8→16→32→N by default, ReLU between them and a linear output, He-initialised
/// from the seed. Training minimises the mean squared error with Adam (learning rate 0.001,
/// β 0.9/0.999) over shuffled mini-batches of 256, holds out 10% of the rows for validation and
/// stops when the validation error has not improved by `tolerance` (10⁻⁴) for 3 epochs (or after
/// `maximumEpochs`), keeping the best weights. Each mini-batch's gradient is computed in four
/// shards on all cores and summed in shard order.
///
/// All parameters live in one flat array (each layer's `outputs × inputs` weights, row-major,
/// then its biases), and a batch's activations are stored feature-major (one contiguous run of
/// batch values per unit), so every inner loop is a long, vectorisable run over the batch.
public struct Autoencoder: Sendable {
  /// Where one layer's parameters sit in the flat array.
  struct Layer: Sendable {
    var inputs: Int
    var outputs: Int
    var weights: Int
    var biases: Int
  }

  /// Training settings.
  public struct Settings: Sendable {
    /// Hidden layer widths.
    public var hidden = [32, 16, 8, 16, 32]
    /// Rows per mini-batch.
    public var batchSize = 256
    /// The most passes over the training rows.
    public var maximumEpochs = 60
    /// Epochs without improvement before stopping.
    public var patience = 3
    /// Adam's step size.
    public var learningRate = 0.001
    /// The least drop in validation error that counts as an improvement (in squared standard
    /// deviations, since inputs are standardised; scikit-learn's `tol`).
    public var tolerance = 1e-4
    /// The share of rows held out to decide when to stop.
    public var validationShare = 0.1
    /// Creates the default settings.
    public init() {}
  }

  let layers: [Layer]
  var parameters: [Double]
  /// Epochs actually run.
  public private(set) var epochs = 0
  /// The best validation error (mean squared error per value).
  public private(set) var validationError = Double.infinity
  /// The validation rows' reconstruction errors, sorted (for calibrating scores).
  public private(set) var validationErrors: [Double] = []

  /// Trains on `matrix`, which should be standardised.
  public init(training matrix: FeatureMatrix, settings: Settings = Settings(), seed: UInt64) {
    var random = SeededRandom(seed: seed)
    let widths = [matrix.columnCount] + settings.hidden + [matrix.columnCount]
    var layers: [Layer] = []
    var parameters: [Double] = []
    for index in 0..<widths.count - 1 {
      let inputs = widths[index]
      let outputs = widths[index + 1]
      let scale = (2.0 / Double(max(inputs, 1))).squareRoot()
      let weights = parameters.count
      parameters += (0..<inputs * outputs).map { _ in random.nextGaussian() * scale }
      let biases = parameters.count
      parameters += [Double](repeating: 0, count: outputs)
      layers.append(Layer(inputs: inputs, outputs: outputs, weights: weights, biases: biases))
    }
    self.layers = layers
    self.parameters = parameters

    var order = Array(0..<matrix.rowCount)
    order.shuffle(using: &random)
    let validationCount =
      matrix.rowCount >= 20 ? max(1, Int(Double(matrix.rowCount) * settings.validationShare)) : 0
    let validationRows = Array(order.prefix(validationCount))
    var trainingRows = Array(order.dropFirst(validationCount))
    if trainingRows.isEmpty { trainingRows = order }
    let validation = matrix.rows(validationRows.isEmpty ? trainingRows : validationRows)

    var optimiser = Adam(count: parameters.count, rate: settings.learningRate)
    var best = parameters
    var bestError = Double.infinity
    var stale = 0
    for epoch in 1...max(1, settings.maximumEpochs) {
      trainingRows.shuffle(using: &random)
      var start = 0
      while start < trainingRows.count {
        let end = min(start + settings.batchSize, trainingRows.count)
        let gradient = gradient(matrix, trainingRows[start..<end])
        optimiser.step(&self.parameters, gradient)
        start = end
      }
      epochs = epoch
      let errors = reconstructionErrors(validation)
      let error = errors.reduce(0, +) / Double(max(errors.count, 1))
      if error < bestError - settings.tolerance {
        bestError = error
        best = self.parameters
        stale = 0
      } else {
        stale += 1
        if stale >= settings.patience { break }
      }
    }
    self.parameters = best
    validationError = bestError
    validationErrors = reconstructionErrors(validation).sorted()
  }

  /// Each row's reconstruction error: the mean squared difference between the row and the
  /// network's output, on all cores.
  public func reconstructionErrors(_ matrix: FeatureMatrix) -> [Double] {
    let width = matrix.columnCount
    let chunkCount = min(max(1, matrix.rowCount / 1024), Parallel.coreCount * 4)
    let chunks = Parallel.map(chunkCount) { chunk -> [Double] in
      let start = matrix.rowCount * chunk / chunkCount
      let end = matrix.rowCount * (chunk + 1) / chunkCount
      var errors: [Double] = []
      errors.reserveCapacity(end - start)
      var batchStart = start
      while batchStart < end {
        let batchEnd = min(batchStart + 256, end)
        let rows = batchEnd - batchStart
        let input = Self.transposed(matrix, batchStart..<batchEnd)
        let activations = forward(input, rows: rows)
        let output = activations[activations.count - 1]
        var totals = [Double](repeating: 0, count: rows)
        for column in 0..<width {
          for row in 0..<rows {
            let difference = output[column * rows + row] - input[column * rows + row]
            totals[row] += difference * difference
          }
        }
        errors += totals.map { $0 / Double(max(width, 1)) }
        batchStart = batchEnd
      }
      return errors
    }
    return chunks.flatMap { $0 }
  }

  /// Rows of `matrix`, feature-major: `result[column * rows.count + row]`.
  static func transposed<Rows: Collection<Int>>(_ matrix: FeatureMatrix, _ rows: Rows) -> [Double] {
    let width = matrix.columnCount
    let count = rows.count
    var result = [Double](repeating: 0, count: width * count)
    for (position, row) in rows.enumerated() {
      for column in 0..<width {
        result[column * count + position] = matrix.values[row * width + column]
      }
    }
    return result
  }

  /// The activations of every layer for a feature-major batch of `rows` rows (the input first,
  /// the output last).
  func forward(_ input: [Double], rows: Int) -> [[Double]] {
    var activations = [input]
    activations.reserveCapacity(layers.count + 1)
    parameters.withUnsafeBufferPointer { p in
      for (index, layer) in layers.enumerated() {
        var next = [Double](repeating: 0, count: rows * layer.outputs)
        activations[activations.count - 1].withUnsafeBufferPointer { a in
          next.withUnsafeMutableBufferPointer { z in
            for output in 0..<layer.outputs {
              let zBase = output * rows
              let bias = p[layer.biases + output]
              for row in 0..<rows { z[zBase + row] = bias }
              for input in 0..<layer.inputs {
                let weight = p[layer.weights + output * layer.inputs + input]
                let aBase = input * rows
                for row in 0..<rows { z[zBase + row] += weight * a[aBase + row] }
              }
            }
            if index < layers.count - 1 {
              for position in 0..<z.count { z[position] = max(0, z[position]) }
            }
          }
        }
        activations.append(next)
      }
    }
    return activations
  }

  /// The gradient of the batch's mean squared error with respect to every parameter, computed
  /// in four shards spread over the cores.
  func gradient(_ matrix: FeatureMatrix, _ rows: ArraySlice<Int>) -> [Double] {
    // A fixed number of shards, whatever the core count, so the sums (and the trained network)
    // are the same on every machine.
    let shards = rows.count >= 64 ? 4 : 1
    let scale = 2.0 / Double(rows.count * max(matrix.columnCount, 1))
    let parts = Parallel.map(shards) { shard in
      let start = rows.startIndex + rows.count * shard / shards
      let end = rows.startIndex + rows.count * (shard + 1) / shards
      return shardGradient(Self.transposed(matrix, rows[start..<end]), end - start, scale)
    }
    var total = parts[0]
    for part in parts.dropFirst() {
      for index in total.indices { total[index] += part[index] }
    }
    return total
  }

  private func shardGradient(_ input: [Double], _ rows: Int, _ scale: Double) -> [Double] {
    var gradient = [Double](repeating: 0, count: parameters.count)
    guard rows > 0 else { return gradient }
    let activations = forward(input, rows: rows)
    let output = activations[activations.count - 1]
    var delta = (0..<output.count).map { scale * (output[$0] - input[$0]) }
    parameters.withUnsafeBufferPointer { p in
      gradient.withUnsafeMutableBufferPointer { g in
        for index in stride(from: layers.count - 1, through: 0, by: -1) {
          let layer = layers[index]
          var previousDelta = [Double](repeating: 0, count: index > 0 ? rows * layer.inputs : 0)
          activations[index].withUnsafeBufferPointer { a in
            delta.withUnsafeBufferPointer { d in
              previousDelta.withUnsafeMutableBufferPointer { pd in
                for output in 0..<layer.outputs {
                  let dBase = output * rows
                  var biasSum = 0.0
                  for row in 0..<rows { biasSum += d[dBase + row] }
                  g[layer.biases + output] += biasSum
                  for input in 0..<layer.inputs {
                    let aBase = input * rows
                    g[layer.weights + output * layer.inputs + input] += Self.dot(
                      d, dBase, a, aBase, rows)
                    if index > 0 {
                      let weight = p[layer.weights + output * layer.inputs + input]
                      for row in 0..<rows { pd[aBase + row] += weight * d[dBase + row] }
                    }
                  }
                }
                // Through the ReLU of the previous layer: no gradient where it was off.
                for position in 0..<pd.count where a[position] <= 0 { pd[position] = 0 }
              }
            }
          }
          delta = previousDelta
        }
      }
    }
    return gradient
  }

  /// `Σ x[xStart + i] · y[yStart + i]` for `i < count`, eight lanes at a time (a plain loop
  /// would not vectorise: floating-point sums are not reassociated).
  @inline(__always)
  static func dot(
    _ x: UnsafeBufferPointer<Double>, _ xStart: Int, _ y: UnsafeBufferPointer<Double>,
    _ yStart: Int, _ count: Int
  ) -> Double {
    var lanes = SIMD8<Double>()
    var index = 0
    if let xBase = x.baseAddress, let yBase = y.baseAddress {
      let left = UnsafeRawPointer(xBase + xStart)
      let right = UnsafeRawPointer(yBase + yStart)
      let stride = MemoryLayout<Double>.stride
      while index + 8 <= count {
        lanes +=
          left.loadUnaligned(fromByteOffset: index * stride, as: SIMD8<Double>.self)
          * right.loadUnaligned(fromByteOffset: index * stride, as: SIMD8<Double>.self)
        index += 8
      }
    }
    var total = lanes.sum()
    while index < count {
      total += x[xStart + index] * y[yStart + index]
      index += 1
    }
    return total
  }

  /// Adam (Kingma and Ba 2015): running first and second moments of every parameter's
  /// gradient.
  struct Adam {
    var rate: Double
    let beta1 = 0.9
    let beta2 = 0.999
    let epsilon = 1e-8
    var steps = 0
    var first: [Double]
    var second: [Double]

    init(count: Int, rate: Double) {
      self.rate = rate
      first = [Double](repeating: 0, count: count)
      second = [Double](repeating: 0, count: count)
    }

    mutating func step(_ parameters: inout [Double], _ gradient: [Double]) {
      steps += 1
      let stepSize =
        rate * (1 - pow(beta2, Double(steps))).squareRoot() / (1 - pow(beta1, Double(steps)))
      let (beta1, beta2, epsilon) = (self.beta1, self.beta2, self.epsilon)
      first.withUnsafeMutableBufferPointer { m in
        second.withUnsafeMutableBufferPointer { v in
          parameters.withUnsafeMutableBufferPointer { p in
            for index in 0..<p.count {
              let g = gradient[index]
              m[index] = beta1 * m[index] + (1 - beta1) * g
              v[index] = beta2 * v[index] + (1 - beta2) * g * g
              p[index] -= stepSize * m[index] / (v[index].squareRoot() + epsilon)
            }
          }
        }
      }
    }
  }
}

extension SeededRandom {
  /// A standard normal value (Box–Muller).
  public mutating func nextGaussian() -> Double {
    let u = max(nextUnit(), 1e-300)
    let v = nextUnit()
    return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
  }
}

extension FeatureMatrix {
  /// The given rows, in the given order.
  public func rows(_ indices: [Int]) -> FeatureMatrix {
    var picked: [Double] = []
    picked.reserveCapacity(indices.count * columnCount)
    for row in indices { picked += values[row * columnCount..<(row + 1) * columnCount] }
    return FeatureMatrix(
      columns: columns, values: picked, rowCount: indices.count, logScaled: logScaled)
  }
}
