import Foundation

/// Flags records with a numeric field far outside that field's usual range: a request taking
/// 15,703 ms where the median is 120, a 74 MB response among 20 kB ones, an error rate of 0.8.
/// The Isolation Forest sees such a value only as one of many features and flags at most the
/// input's top 1%; this detector judges each field on its own and says which value it was.
///
/// - Fields: those numeric in at least 5% of the records (CSV columns, JSON and logfmt
///   numbers, access-log sizes and times; a structured log gives a duration only on the
///   messages that report one), not ids, times, levels or a dataset's label, nor the parts of a
///   header format (`loghub:NAME`, `--log-format`); inputs of at least 200 records. Each field
///   is judged among the records that have it, at least ``minimumGroup`` of them.
/// - Scale: a field whose values are all non-negative — durations, sizes, counts, rates — is
///   judged on log(1 + x), as such quantities vary by factors rather than by steps: a request
///   taking twice the median is ordinary, one taking a hundred times it is not, and the long
///   right tail of durations is not extreme. A field with negative values is judged on the
///   values themselves.
/// - Distance: the robust z-score `(x − median) / (1.4826 · MAD)`; a field whose MAD is 0 (one
///   value nearly everywhere, such as a status) is left to the rules and the forest.
/// - Extreme: on a log scale, at least three times or a third of the median
///   (``minimumFactor``: numbers close together, such as the codes 302013 and 305011, are not
///   extremes of one another however tight the rest); and at least 6 spreads from the median
///   (``fence``; under a normal law that happens
///   about once in 500 million). A long tail is no outlier, as for rare field values: a side of a field
///   (above or below the median) where more than 2% of the values are extreme
///   (``maximumShare``) is not judged.
/// - Within categories: each field is judged again among the records sharing a value of each
///   categorical field (those ``FieldRarityDetector`` reads), for values seen at least 50
///   times: a process using 4000 MB is ordinary for the table when other processes do, and
///   extreme when this process never uses more than 60 ("Memory 4000: 100× its median 40
///   among Basename 'defender.exe'"). A record is flagged once per field. Medians are found by
///   selection (``Median``), not by sorting.
/// - Score: 0.6 at the fence, rising by 0.25 per factor of ten beyond it, at most 0.85; a
///   record with several extreme fields is scored by the most extreme, and its reason names
///   them all. The level does not weigh: the source's level was given to the message, and a
///   measured value is not its judgement.
/// - Numbers in messages (``ParameterExtremes``): each template's numeric variables, judged
///   the same way against that template's values, high side only; header formats' messages
///   too (their fields are not judged), not a table's rows.
/// - With a model (`analyze --model`) the fields are still judged on the input itself.
public struct ExtremeValueDetector: Detector {
  /// `extremes`.
  public let name = "extremes"

  /// How many robust spreads from the median make a value extreme.
  public static let fence = 6.0
  /// The largest share of a field's values that may be extreme on one side for any of them to
  /// stand out.
  public static let maximumShare = 0.02
  /// The least factor between a value and the median, on a log scale, for the value to be
  /// extreme.
  public static let minimumFactor = 3.0
  /// The least records an input needs.
  public static let minimumRecords = 200
  /// The least records of one category for its values to be judged among themselves.
  public static let minimumGroup = 50

  /// Creates the detector.
  public init() {}

  /// One extreme value of one record.
  struct Extreme: Sendable {
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
    // A header format's parts are not data; a table's rows have no messages to read numbers
    // from.
    let names =
      input.headerFields
      ? []
      : RecordFeatures.discoverNumericFields(
        input.records, input.buffer, presence: RecordFeatures.judgedFieldPresence
      ).filter {
        !FieldRarityDetector.excludedNames.contains($0.lowercased())
      }
    let categories = FieldRarityDetector.categoricalColumns(input)
    // Each numeric field on its own core: its values over all records, then within each
    // category.
    let judgements = Parallel.map(names.count) { index in
      Self.judge(names[index], categories: categories, input)
    }
    var extremes: [Int: [Extreme]] = [:]
    for judgement in judgements {
      for (record, extreme) in judgement.extremes { extremes[record, default: []].append(extreme) }
    }
    parameters["fields"] = judgements.filter(\.judged).map(\.name).joined(separator: ",")
    if input.headerFields {
      parameters["fields_skipped"] = "the fields are parts of a header format"
    }
    if !input.tabular {
      let inMessages = ParameterExtremes.judge(input)
      for (record, extreme) in inMessages.extremes {
        extremes[record, default: []].append(extreme)
      }
      parameters["message_values"] = String(inMessages.judged)
    }
    let longTailed = judgements.flatMap(\.longTailed)
    if !longTailed.isEmpty { parameters["long_tailed"] = longTailed.joined(separator: ",") }
    if !categories.isEmpty { parameters["within"] = categories.map(\.name).joined(separator: ",") }
    let hits = extremes.keys.sorted().compactMap { record -> DetectorHit? in
      guard let found = extremes[record], let top = found.map(\.z).max() else { return nil }
      let ordered = found.sorted { $0.z > $1.z }
      return DetectorHit(
        record: record, score: min(0.85, 0.6 + 0.25 * log10(top / Self.fence)),
        reason: ordered.map(\.reason).joined(separator: "; "), tags: ["extreme"])
    }
    return DetectorReport(name: name, parameters: parameters, hits: hits, scores: nil)
  }

  /// What one numeric field showed.
  struct Judgement: Sendable {
    var name: String
    var judged = false
    var longTailed: [String] = []
    var extremes: [(Int, Extreme)] = []
  }

  /// Judges field `name` over all records, then within each value of each categorical field
  /// (a process's memory against that process's usual memory), each record at most once.
  static func judge(
    _ name: String, categories: [FieldRarityDetector.Column], _ input: DetectionInput
  ) -> Judgement {
    var judgement = Judgement(name: name)
    let values = Self.values(of: name, input)
    // Never negative: judged on log(1 + x), computed once for every grouping.
    let logarithmic = values.allSatisfy { ($0 ?? 0) >= 0 }
    let members = values.enumerated().compactMap { record, value in
      value.map { (record, logarithmic ? log1p($0) : $0) }
    }
    guard members.count >= minimumGroup, let overall = outliers(members, logarithmic: logarithmic)
    else { return judgement }
    judgement.judged = true
    judgement.longTailed = overall.longTailed.map { "\(name) (\($0))" }
    var flagged = Set<Int>()
    for (record, z) in overall.found {
      guard let value = values[record] else { continue }
      flagged.insert(record)
      judgement.extremes.append(
        (record, Extreme(z: abs(z), reason: overall.scale.describe(name, value, z: z))))
    }
    for column in categories {
      var groups = [[(Int, Double)]](repeating: [], count: column.names.count)
      for (record, value) in members where column.codes[record] >= 0 {
        groups[Int(column.codes[record])].append((record, value))
      }
      for (code, group) in groups.enumerated() where group.count >= minimumGroup {
        guard let within = outliers(group, logarithmic: logarithmic) else { continue }
        let category =
          "\(column.name) '\(SecretScanner.redact(value: column.names[code], named: column.name))'"
        for (record, z) in within.found where !flagged.contains(record) {
          guard let value = values[record] else { continue }
          flagged.insert(record)
          judgement.extremes.append(
            (
              record,
              Extreme(
                z: abs(z), reason: within.scale.describe(name, value, z: z, among: category))
            ))
        }
      }
    }
    return judgement
  }

  /// The members (record, judged value) at least ``fence`` spreads from their median, with
  /// their z-scores; a side (above or below) holding more than ``maximumShare`` of them is
  /// long-tailed and left out. `nil` when the values have no spread.
  static func outliers(_ members: [(Int, Double)], logarithmic: Bool)
    -> (scale: FieldScale, found: [(Int, Double)], longTailed: [String])?
  {
    guard let scale = FieldScale(judged: members.map(\.1), logarithmic: logarithmic) else {
      return nil
    }
    var above: [(Int, Double)] = []
    var below: [(Int, Double)] = []
    for (record, value) in members {
      // On a log scale, a value within a factor of ``minimumFactor`` of the median is ordinary
      // however tight the rest: codes such as 302013 and 305011 are not measurements.
      if logarithmic, abs(value - scale.median) < log(minimumFactor) { continue }
      let z = scale.z(value)
      if z >= fence { above.append((record, z)) }
      if z <= -fence { below.append((record, z)) }
    }
    var found: [(Int, Double)] = []
    var longTailed: [String] = []
    for (side, word) in [(above, "above"), (below, "below")] where !side.isEmpty {
      if Double(side.count) <= maximumShare * Double(scale.count) {
        found += side
      } else {
        longTailed.append(word)
      }
    }
    return (scale, found, longTailed)
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
struct FieldScale: Sendable {
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

  /// The scale of `judged` values — log(1 + x) of the field's values when `logarithmic`, else
  /// the values — or `nil` when they have no spread (or fewer than two values).
  init?(judged: [Double], logarithmic: Bool) {
    guard judged.count >= 2 else { return nil }
    var work = judged
    let centre = Median.middleValues(&work)
    let median = (centre.low + centre.high) / 2
    for index in work.indices { work[index] = abs(work[index] - median) }
    let deviation = Median.of(work)
    guard deviation > 0 else { return nil }
    self.logarithmic = logarithmic
    self.median = median
    self.spread = 1.4826 * deviation
    // log(1 + x) keeps the order, so the middle values are the same records' on either scale.
    self.rawMedian =
      logarithmic ? (expm1(centre.low) + expm1(centre.high)) / 2 : median
    self.count = judged.count
  }

  /// The robust z-score of a judged value.
  func z(_ judged: Double) -> Double { (judged - median) / spread }

  /// "request_time_ms 15703: 131× its median 120 (9.4 spreads above it on a log scale)", with
  /// "among Basename 'MsMpEng.exe'" after the median when judged within a category.
  func describe(_ name: String, _ value: Double, z: Double, among category: String? = nil)
    -> String
  {
    let number = ReasonText.number
    var text = "\(name) \(number(value)): "
    if rawMedian > 0, value > 0 {
      let ratio = value / rawMedian
      func rounded(_ factor: Double) -> String { number(factor >= 10 ? factor.rounded() : factor) }
      text += ratio >= 1 ? "\(rounded(ratio))× its median" : "1/\(rounded(1 / ratio)) of its median"
    } else {
      text += "its median is"
    }
    text += " \(number(rawMedian))" + (category.map { " among \($0)" } ?? "")
    text += " (\(number(abs(z))) spreads \(z > 0 ? "above" : "below") it"
    return text + (logarithmic ? " on a log scale)" : ")")
  }
}
