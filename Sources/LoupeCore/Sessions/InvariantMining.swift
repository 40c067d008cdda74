/// Invariant mining over session event counts (Lou et al., USENIX ATC 2010, as loglizer uses
/// it), in its pairwise form: two templates whose counts keep a fixed small ratio in almost
/// every training session — `count(open) = count(close)`, `count(received) = 3 · count(allocate)`
/// — make an invariant, and a session that breaks one is anomalous.
///
/// Candidates are pairs among the 50 templates in most sessions, with ratios `a : b` for `a, b`
/// in 1…3; an invariant must hold in at least `support` of the at least 20 training sessions
/// where either template occurs (98%; 99.9% when the training sessions are known to be normal),
/// and only the best ratio of a pair is kept.
public struct InvariantMining: Sendable, Codable {
  /// One invariant: `b · count(first) = a · count(second)`.
  public struct Invariant: Sendable, Codable, Hashable {
    /// The first template's id.
    public var first: String
    /// The second template's id.
    public var second: String
    /// The first template's share of the ratio.
    public var a: Int
    /// The second template's share of the ratio.
    public var b: Int
    /// The share of training sessions (with either template) where it held.
    public var support: Double
  }

  /// The invariants found.
  public private(set) var invariants: [Invariant]
  /// Template texts by id, for reasons.
  public private(set) var texts: [String: String]

  /// Mines invariants from training sessions' counts.
  /// - Parameters:
  ///   - counts: one row per session, one column per template of `ids`.
  ///   - ids: the columns' template ids, most common first.
  ///   - texts: the columns' template texts.
  ///   - support: the least share of sessions an invariant must hold in.
  public init(_ counts: FeatureMatrix, ids: [String], texts: [String], support: Double = 0.98) {
    let width = min(50, counts.columnCount)
    var found: [Invariant] = []
    for first in 0..<width {
      for second in (first + 1)..<max(first + 1, width) {
        var relevant = 0
        var held = [Int](repeating: 0, count: 9)
        for row in 0..<counts.rowCount {
          let x = counts[row, first]
          let y = counts[row, second]
          guard x > 0 || y > 0 else { continue }
          relevant += 1
          for a in 1...3 {
            for b in 1...3 where Double(b) * x == Double(a) * y { held[(a - 1) * 3 + b - 1] += 1 }
          }
        }
        guard relevant >= 20 else { continue }
        var best: (Int, Int, Int)?
        for a in 1...3 {
          for b in 1...3 where Self.gcd(a, b) == 1 {
            let count = held[(a - 1) * 3 + b - 1]
            if count > (best?.2 ?? 0) { best = (a, b, count) }
          }
        }
        guard let (a, b, count) = best, Double(count) >= support * Double(relevant) else {
          continue
        }
        found.append(
          Invariant(
            first: ids[first], second: ids[second], a: a, b: b,
            support: Double(count) / Double(relevant)))
      }
    }
    invariants = found
    var byId: [String: String] = [:]
    for (id, text) in zip(ids, texts) { byId[id] = text }
    self.texts = byId
  }

  private static func gcd(_ x: Int, _ y: Int) -> Int { y == 0 ? x : gcd(y, x % y) }

  /// The invariants each session breaks, given its counts by template id.
  public func violations(_ counts: FeatureMatrix, ids: [String]) -> [[Invariant]] {
    var column: [String: Int] = [:]
    for (index, id) in ids.enumerated() { column[id] = index }
    return (0..<counts.rowCount).map { row in
      invariants.filter { invariant in
        let x = column[invariant.first].map { counts[row, $0] } ?? 0
        let y = column[invariant.second].map { counts[row, $0] } ?? 0
        return Double(invariant.b) * x != Double(invariant.a) * y
      }
    }
  }

  /// A sentence about a broken invariant.
  func describe(_ invariant: Invariant, counts: FeatureMatrix, row: Int, ids: [String]) -> String {
    var column: [String: Int] = [:]
    for (index, id) in ids.enumerated() { column[id] = index }
    let x = Int(column[invariant.first].map { counts[row, $0] } ?? 0)
    let y = Int(column[invariant.second].map { counts[row, $0] } ?? 0)
    let first = SecretScanner.redact(texts[invariant.first] ?? invariant.first)
    let second = SecretScanner.redact(texts[invariant.second] ?? invariant.second)
    let ratio =
      invariant.a == invariant.b
      ? "as often as" : "\(invariant.a) times for every \(invariant.b) of"
    let percent = String(format: "%.1f", invariant.support * 100)
    return
      "\"\(first)\" \(x) times and \"\(second)\" \(y) times; in \(percent)% of training sessions the first comes \(ratio) the second"
  }
}
