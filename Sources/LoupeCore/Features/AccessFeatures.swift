import Foundation

/// Access-log features that need the whole input: how rare each request's method is, and how
/// unusual its response size is for its path.
enum AccessFeatures {
  /// `methodRarity`: −log₂ of the method's share of the requests; `bytesZ`: the robust z-score
  /// (distance to the median in 1.4826 × median absolute deviations, at least 0.1) of
  /// log(1 + bytes) among the responses for the same path (the URI before `?`), 0 for a path seen
  /// under 5 times or a response without a size.
  static func compute(_ records: [LogRecord], buffer: SourceBuffer) -> (
    methodRarity: [Double], bytesZ: [Double]
  ) {
    var methodField = RequestField.method.lookup(in: records)
    var uriField = RequestField.uri.lookup(in: records)
    var bytesField = RequestField.bytes.lookup(in: records)
    var methods = [UInt64](repeating: 0, count: records.count)
    var paths = [UInt64](repeating: 0, count: records.count)
    var sizes = [Double](repeating: .nan, count: records.count)
    var methodCounts: [UInt64: Int] = [:]
    var sizesByPath: [UInt64: [Double]] = [:]
    buffer.bytes.withUnsafeBufferPointer { bytes in
      for (row, record) in records.enumerated() {
        let method = methodField.value(in: record).map { Hashing.fnv1a(bytes, $0.span) } ?? 0
        methods[row] = method
        methodCounts[method, default: 0] += 1
        guard let uri = uriField.value(in: record)?.span else { continue }
        var end = uri.start
        while end < uri.end, bytes[end] != 0x3F { end += 1 }
        let path = Hashing.fnv1a(bytes, ByteSpan(uri.start, end))
        paths[row] = path
        if let size = bytesField.value(in: record).flatMap({ ByteClass.number(bytes, $0.span) }) {
          sizes[row] = log1p(max(0, size))
          sizesByPath[path, default: []].append(sizes[row])
        }
      }
    }
    let total = Double(max(records.count, 1))
    let rarity = methods.map { -log2(Double(methodCounts[$0] ?? 1) / total) }
    var profiles: [UInt64: (median: Double, spread: Double)] = [:]
    for (path, values) in sizesByPath where values.count >= 5 {
      let sorted = values.sorted()
      let median = sorted[sorted.count / 2]
      let deviations = sorted.map { abs($0 - median) }.sorted()
      profiles[path] = (median, max(0.1, 1.4826 * deviations[deviations.count / 2]))
    }
    let z = (0..<records.count).map { row -> Double in
      guard !sizes[row].isNaN, let profile = profiles[paths[row]] else { return 0 }
      return (sizes[row] - profile.median) / profile.spread
    }
    return (rarity, z)
  }
}
