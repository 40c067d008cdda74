/// The principal axes of a matrix's rows: the eigenvectors of their covariance matrix, from
/// the cyclic Jacobi method (exact for the small symmetric matrices of a few dozen features),
/// ordered by decreasing variance.
public struct PrincipalAxes: Sendable {
  /// The column means.
  public let means: [Double]
  /// The axes, `width` values each, row-major: `axes[a * width + c]`.
  public let axes: [Double]
  /// The variance along each axis (the eigenvalues), largest first.
  public let variances: [Double]
  /// The number of columns.
  public let width: Int

  /// Computes the axes of `matrix`'s rows.
  public init(_ matrix: FeatureMatrix) {
    let width = matrix.columnCount
    self.width = width
    let rows = max(matrix.rowCount, 1)
    var means = [Double](repeating: 0, count: width)
    for row in 0..<matrix.rowCount {
      for column in 0..<width { means[column] += matrix.values[row * width + column] }
    }
    means = means.map { $0 / Double(rows) }
    var covariance = [Double](repeating: 0, count: width * width)
    var centred = [Double](repeating: 0, count: width)
    for row in 0..<matrix.rowCount {
      for column in 0..<width {
        centred[column] = matrix.values[row * width + column] - means[column]
      }
      for first in 0..<width {
        let value = centred[first]
        for second in first..<width {
          covariance[first * width + second] += value * centred[second]
        }
      }
    }
    for first in 0..<width {
      for second in first..<width {
        covariance[first * width + second] /= Double(rows)
        covariance[second * width + first] = covariance[first * width + second]
      }
    }
    let (values, vectors) = Self.eigen(covariance, width)
    let order = values.indices.sorted { values[$0] > values[$1] }
    var axes: [Double] = []
    axes.reserveCapacity(width * width)
    for axis in order {
      for column in 0..<width { axes.append(vectors[column * width + axis]) }
    }
    self.means = means
    self.axes = axes
    variances = order.map { values[$0] }
  }

  /// Eigenvalues and eigenvectors (as columns of a row-major matrix) of a symmetric matrix.
  static func eigen(_ matrix: [Double], _ size: Int) -> ([Double], [Double]) {
    var a = matrix
    var v = [Double](repeating: 0, count: size * size)
    for index in 0..<size { v[index * size + index] = 1 }
    let scale = a.reduce(0) { $0 + $1 * $1 }
    for _ in 0..<100 {
      var offDiagonal = 0.0
      for p in 0..<size {
        for q in (p + 1)..<max(p + 1, size) { offDiagonal += a[p * size + q] * a[p * size + q] }
      }
      if offDiagonal <= 1e-24 * max(scale, 1e-300) { break }
      for p in 0..<size {
        for q in (p + 1)..<max(p + 1, size) where a[p * size + q] != 0 {
          let theta = (a[q * size + q] - a[p * size + p]) / (2 * a[p * size + q])
          let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
          let c = 1 / (t * t + 1).squareRoot()
          let s = t * c
          for k in 0..<size {
            let akp = a[k * size + p]
            let akq = a[k * size + q]
            a[k * size + p] = c * akp - s * akq
            a[k * size + q] = s * akp + c * akq
          }
          for k in 0..<size {
            let apk = a[p * size + k]
            let aqk = a[q * size + k]
            a[p * size + k] = c * apk - s * aqk
            a[q * size + k] = s * apk + c * aqk
          }
          for k in 0..<size {
            let vkp = v[k * size + p]
            let vkq = v[k * size + q]
            v[k * size + p] = c * vkp - s * vkq
            v[k * size + q] = s * vkp + c * vkq
          }
        }
      }
    }
    return ((0..<size).map { a[$0 * size + $0] }, v)
  }

  /// `matrix`'s rows, centred and expressed along the axes (an orthogonal change of basis:
  /// distances between rows are unchanged).
  public func project(_ matrix: FeatureMatrix) -> FeatureMatrix {
    var values = [Double](repeating: 0, count: matrix.rowCount * width)
    var centred = [Double](repeating: 0, count: width)
    for row in 0..<matrix.rowCount {
      for column in 0..<width {
        centred[column] = matrix.values[row * width + column] - means[column]
      }
      for axis in 0..<width {
        var total = 0.0
        for column in 0..<width { total += axes[axis * width + column] * centred[column] }
        values[row * width + axis] = total
      }
    }
    return FeatureMatrix(
      columns: (0..<width).map { "axis\($0)" }, values: values, rowCount: matrix.rowCount)
  }
}
