import Foundation

/// Flags records with a numeric field far outside that field's usual range: a request taking
/// 15,703 ms where the median is 120, a 74 MB response among 20 kB ones, an error rate of 0.8.
/// The Isolation Forest sees such a value only as one of many features and flags at most the
/// input's top 1%; this detector judges each field on its own and says which value it was.
///
/// - Fields: those numeric in at least half of the records (CSV columns, JSON and logfmt
///   numbers, access-log sizes and times), not ids, times, levels or a dataset's label, nor the
///   parts of a header format (`loghub:NAME`, `--log-format`); inputs of at least 200 records.
/// - Scale: a field whose values are all non-negative — durations, sizes, counts, rates — is
///   judged on log(1 + x), as such quantities vary by factors rather than by steps: a request
///   taking twice the median is ordinary, one taking a hundred times it is not, and the long
///   right tail of durations is not extreme. A field with negative values is judged on the
///   values themselves.
/// - Distance: the robust z-score `(x − median) / (1.4826 · MAD)`; a field whose MAD is 0 (one
///   value nearly everywhere, such as a status) is left to the rules and the forest.
/// - Extreme: at least 6 spreads from the median (``fence``; under a normal law that happens
///   about once in 500 million). A long tail is no outlier, as for rare field values: a side of a field
///   (above or below the median) where more than 2% of the values are extreme
///   (``maximumShare``) is not judged.
/// - Score: 0.6 at the fence, rising by 0.25 per factor of ten beyond it, at most 0.85; a
///   record with several extreme fields is scored by the most extreme, and its reason names
///   them all. The level does not weigh: the source's level was given to the message, and a
///   measured value is not its judgement.
/// - With a model (`analyze --model`) the fields are still judged on the input itself.
public struct ExtremeValueDetector: Detector {
  /// `extremes`.
  public let name = "extremes"

  /// How many robust spreads from the median make a value extreme.
  public static let fence = 6.0
  /// The largest share of a field's values that may be extreme on one side for any of them to
  /// stand out.
  public static let maximumShare = 0.02
  /// The least records an input needs.
  public static let minimumRecords = 200

  /// Creates the detector.
  public init() {}

  /// One extreme value of one record.
  struct Extreme {
    var z: Double
    var reason: String
  }

  /// Judges each numeric field and flags the records with extreme values.
  public func detect(_ input: DetectionInput) -> DetectorReport {
    let total = input.records.count
    var parameters = ["fence": ReasonText.number(Self.fence)]
    guard total >= Self.minimumRecords else {
      return .skipped(name, parameters, because: "fewer than \(Self.minimumRecords) records")
    }
    guard !input.headerFields else {
      return .skipped(name, parameters, because: "the fields are parts of a header format")
    }
    let names = RecordFeatures.discoverNumericFields(input.records, input.buffer).filter {
      !FieldRarityDetector.excludedNames.contains($0.lowercased())
    }
    var extremes: [Int: [Extreme]] = [:]
    var judged: [String] = []
    var longTailed: [String] = []
    for name in names {
      let values = Self.values(of: name, input)
      guard let scale = FieldScale(values.compactMap { $0 }) else { continue }
      judged.append(name)
      var above: [(Int, Double)] = []
      var below: [(Int, Double)] = []
      for (record, value) in values.enumerated() {
        guard let value else { continue }
        let z = scale.z(value)
        if z >= Self.fence { above.append((record, z)) }
        if z <= -Self.fence { below.append((record, z)) }
      }
      for (side, word) in [(above, "above"), (below, "below")] where !side.isEmpty {
        guard Double(side.count) <= Self.maximumShare * Double(scale.count) else {
          longTailed.append("\(name) (\(word))")
          continue
        }
        for (record, z) in side {
          guard let value = values[record] else { continue }
          extremes[record, default: []].append(
            Extreme(z: abs(z), reason: scale.describe(name, value, z: z)))
        }
      }
    }
    parameters["fields"] = judged.joined(separator: ",")
    if !longTailed.isEmpty { parameters["long_tailed"] = longTailed.joined(separator: ",") }
    let hits = extremes.keys.sorted().compactMap { record -> DetectorHit? in
      guard let found = extremes[record], let top = found.map(\.z).max() else { return nil }
      let ordered = found.sorted { $0.z > $1.z }
      return DetectorHit(
        record: record, score: min(0.85, 0.6 + 0.25 * log10(top / Self.fence)),
        reason: ordered.map(\.reason).joined(separator: "; "), tags: ["extreme"])
    }
    return DetectorReport(name: name, parameters: parameters, hits: hits, scores: nil)
  }

  /// The field's numeric value in each record, `nil` where it is missing or not a number.
  static func values(of name: String, _ input: DetectionInput) -> [Double?] {
    var lookup = FieldLookup(name)
    return input.buffer.bytes.withUnsafeBufferPointer { bytes in
      input.records.map { record in
        guard let value = lookup.value(in: record), value.encoding == .raw else { return nil }
        return ByteClass.number(bytes, value.span).flatMap { $0.isFinite ? $0 : nil }
      }
    }
  }
}

/// The centre and spread of one numeric field, on the scale it is judged on.
struct FieldScale {
  /// Whether values are judged on log(1 + x).
  let logarithmic: Bool
  /// The median, on the judged scale.
  let median: Double
  /// 1.4826 × the median absolute deviation, on the judged scale.
  let spread: Double
  /// The median of the values themselves.
  let rawMedian: Double
  /// How many values the field has.
  let count: Int

  /// The scale of `values`, or `nil` when they have no spread (or fewer than two values).
  init?(_ values: [Double]) {
    guard values.count >= 2, let low = values.min() else { return nil }
    let logarithmic = low >= 0
    let judged = (logarithmic ? values.map { log1p($0) } : values).sorted()
    let middle = judged.count / 2
    let centre = judged.count % 2 == 1 ? [judged[middle]] : [judged[middle - 1], judged[middle]]
    let median = centre.reduce(0, +) / Double(centre.count)
    let deviation = Self.median(judged.map { abs($0 - median) })
    guard deviation > 0 else { return nil }
    self.logarithmic = logarithmic
    self.median = median
    self.spread = 1.4826 * deviation
    // log(1 + x) keeps the order, so the middle values are the same records' on either scale.
    self.rawMedian =
      (logarithmic ? centre.map { expm1($0) } : centre).reduce(0, +) / Double(centre.count)
    self.count = values.count
  }

  /// The robust z-score of `value`.
  func z(_ value: Double) -> Double {
    ((logarithmic ? log1p(value) : value) - median) / spread
  }

  /// "request_time_ms 15703: 131× its median 120 (9.4 spreads above it on a log scale)".
  func describe(_ name: String, _ value: Double, z: Double) -> String {
    let number = ReasonText.number
    var text = "\(name) \(number(value)): "
    if rawMedian > 0, value > 0 {
      let ratio = value / rawMedian
      func rounded(_ factor: Double) -> String { number(factor >= 10 ? factor.rounded() : factor) }
      text += ratio >= 1 ? "\(rounded(ratio))× its median" : "1/\(rounded(1 / ratio)) of its median"
    } else {
      text += "its median is"
    }
    text += " \(number(rawMedian)) (\(number(abs(z))) spreads \(z > 0 ? "above" : "below") it"
    return text + (logarithmic ? " on a log scale)" : ")")
  }

  private static func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }
}
