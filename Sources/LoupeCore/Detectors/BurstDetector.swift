/// Finds bursts in access logs: one client making, or the server answering with 5xx, far more
/// of 100 consecutive requests than its overall rate allows — under a Poisson model with the
/// key's mean per window, a count that likely would occur by chance with probability below one
/// in a million. Every request in such a window is flagged, with the count and the expectation
/// in the reason.
public struct BurstDetector: Detector {
  /// `burst`.
  public let name = "burst"
  /// Records per window.
  public var window = 100

  /// Creates the detector.
  public init() {}

  /// Finds client and 5xx bursts.
  public func detect(_ input: DetectionInput) -> DetectorReport {
    let total = input.records.count
    var parameters = ["window": String(window)]
    // Each client gets a number on its first request: its requests and its name by number.
    var clientNumbers: [UInt64: Int] = [:]
    var clients: [[Int]] = []
    var clientNames: [String] = []
    var serverErrors: [Int] = []
    var clientField = RequestField.client.lookup(in: input.records)
    var statusField = RequestField.status.lookup(in: input.records)
    input.buffer.bytes.withUnsafeBufferPointer { bytes in
      for (index, record) in input.records.enumerated() {
        guard let status = statusField.value(in: record) else { continue }
        if let client = clientField.value(in: record) {
          let key = Hashing.fnv1a(bytes, client.span)
          if let number = clientNumbers[key] {
            clients[number].append(index)
          } else {
            clientNumbers[key] = clients.count
            clients.append([index])
            clientNames.append(input.buffer.string(client))
          }
        }
        if let code = ByteClass.integer(bytes, status.span), code >= 500 {
          serverErrors.append(index)
        }
      }
    }
    guard total >= 2 * window, !clients.isEmpty || !serverErrors.isEmpty else {
      return .skipped(
        name, parameters, because: "no access-log fields, or fewer than \(2 * window) records")
    }
    var best: [Int: DetectorHit] = [:]
    func flag(_ positions: [Int], score: Double, describe: (Int, Double) -> String, tag: String) {
      for (position, count, expected) in bursts(positions, total: total) {
        let reason = describe(count, expected)
        if (best[position]?.score ?? 0) < score {
          best[position] = DetectorHit(record: position, score: score, reason: reason, tags: [tag])
        }
      }
    }
    flag(
      serverErrors, score: 0.8,
      describe: { count, expected in
        "burst: \(count) server errors (5xx) in \(window) consecutive requests (expected \(Self.format(expected)))"
      }, tag: "http")
    for (positions, name) in zip(clients, clientNames) where positions.count >= 5 {
      flag(
        positions, score: 0.75,
        describe: { count, expected in
          "burst: client \(name) made \(count) of \(window) consecutive requests (expected \(Self.format(expected)))"
        }, tag: "security")
    }
    parameters["flagged_requests"] = String(best.count)
    return DetectorReport(
      name: name, parameters: parameters, hits: best.keys.sorted().compactMap { best[$0] },
      scores: nil)
  }

  /// The positions inside improbable windows, with the window's count and expectation.
  func bursts(_ positions: [Int], total: Int) -> [(Int, Int, Double)] {
    guard positions.count >= 5 else { return [] }
    let expected = Double(positions.count) * Double(window) / Double(max(total, 1))
    var flagged: [Int: Int] = [:]
    for (start, end) in BurstStatistics.windowEnds(positions, window: window).enumerated() {
      let count = end - start + 1
      guard
        BurstStatistics.isBurst(
          count: count, occurrences: positions.count, total: total, window: window)
      else { continue }
      for index in start...end where (flagged[positions[index]] ?? 0) < count {
        flagged[positions[index]] = count
      }
    }
    return flagged.keys.sorted().compactMap { key in flagged[key].map { (key, $0, expected) } }
  }

  private static func format(_ value: Double) -> String {
    value >= 10 ? String(Int(value.rounded())) : String((value * 10).rounded() / 10)
  }
}
