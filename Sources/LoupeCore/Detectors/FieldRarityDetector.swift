import Foundation

/// Flags records whose categorical field values are rare, alone or together: a process name
/// seen a handful of times (`Basename 'nc.exe': 12 of 99999 records`), or a common value with a
/// partner it almost never has (`Path 'C:\Users\bob\Temp\svchost.exe' with Basename
/// 'svchost.exe': 3 of its 18204 records`). Tabular logs — CSV exports, JSON events, logfmt —
/// carry their meaning in such fields rather than in message text, and a value out of its usual
/// company is the classic sign of a masquerading process, an odd path or an account doing
/// something it never does.
///
/// - Records considered: those whose fields are data (CSV columns, JSON keys, logfmt pairs,
///   access-log parts), not the parts of a header format (`loghub:NAME`, `--log-format`).
/// - Fields considered: those in at least 90% of the first 2,000 records, mostly not numbers
///   (but event codes by number, ``eventCodeNames``), not a time, a level or a dataset's label
///   (``excludedNames``),
///   with 2 to 200 distinct values over the input (a field with more — ids, times, free text —
///   says nothing by its rarity), on inputs of at least 1,000 records.
/// - A value is rare when it is seen `c ≤ √n` times among `n` records; its score is the
///   surprise `1 − ln c / ln n`, capped at 0.85 (as for rare templates).
/// - A pair is rare when a value `a` seen at least 100 times has the partner `b` in at most 1%
///   and at most `√count(a)` of its records; its score is `1 − ln count(a, b) / ln count(a)`,
///   capped at 0.85. Where `b`'s field is a long tail (below), its values' scarcity is no
///   news, so the pair must also be scarcer than `b`'s share of all records predicts
///   (``log10PairSignificance``: at most a one-in-a-thousand count for independent values):
///   among 60 source addresses of about 33 records each, one with 10 of the 1,000 UDP records
///   is sampling noise, not a rare pair.
/// - A long tail is no outlier: a field whose rare values together hold more than 2% of the
///   records (``maximumTailShare``; referrers, pages, browser versions) is not judged by the
///   rarity of its values, nor a value `a` whose rare partners hold more than 2% of its records.
///   Rarity stands out only where it is itself rare — the share of records with a rare value
///   is the chance that the next one has one (Good and Turing's missing mass).
/// - As for rare templates, the rarest findings are taken first and only while they hold at
///   most 10% of the records, so data made of rare combinations is not flagged wholesale.
public struct FieldRarityDetector: Detector {
  /// `fields`.
  public let name = "fields"

  /// The most distinct values a field may have.
  public static let maximumDistinct = 200
  /// The largest share of a value's records that may have rare partners for one of them to
  /// stand out.
  public static let maximumTailShare = 0.02
  /// How unlikely (log₁₀) a pair's count must be, were the two values independent, for the
  /// pair to be rare: one in a thousand.
  public static let log10PairSignificance = -3.0
  /// The least records an input needs.
  public static let minimumRecords = 1_000
  /// Fields never read (lower-case): times and dates, whose rarity is the calendar's; the level,
  /// which the rules judge; `label`, the annotation column of labelled datasets (Loghub's
  /// BGL and Thunderbird logs start with the alert label), which is the answer, not data; and
  /// `stream` and `tag`, which say how a container's line was carried (``ContainerLogFormat``).
  public static let excludedNames: Set<String> = [
    "date", "time", "timestamp", "ts", "datetime", "day", "month", "year", "level", "severity",
    "loglevel", "priority", "label", "stream", "tag",
  ]

  /// Number fields that name a kind of event, whose values are categories (Windows' `Event
  /// ID` 4625, 4698…, Cisco's `mnemonic` 106023), compared in lower case: a rare event id is a
  /// rare kind of event.
  public static let eventCodeNames: Set<String> = [
    "event id", "eventid", "event_id", "event.code", "eventcode", "winlog.event_id", "mnemonic",
  ]

  /// Creates the detector.
  public init() {}

  /// One field's values, as small integers per record (`-1` when the record lacks it).
  struct Column: Sendable {
    var name: String
    var codes: [Int32]
    var names: [String]
    var counts: [Int]
  }

  /// Finds rare values and rare pairs.
  public func detect(_ input: DetectionInput) -> DetectorReport {
    let total = input.records.count
    var parameters = ["maximum_distinct": String(Self.maximumDistinct)]
    guard total >= Self.minimumRecords else {
      return .skipped(name, parameters, because: "fewer than \(Self.minimumRecords) records")
    }
    guard !input.headerFields else {
      // A header's parts — threads, classes, nodes — say who logged, which the templates and
      // the component already cover; their rare pairings are mostly scheduling noise.
      return .skipped(name, parameters, because: "the fields are parts of a header format")
    }
    let columns = Self.categoricalColumns(input)
    parameters["fields"] = columns.map(\.name).joined(separator: ",")
    guard !columns.isEmpty else {
      return .skipped(name, parameters, because: "no categorical fields")
    }
    let logTotal = log(Double(total))
    var best = [(score: Double, reason: String)?](repeating: nil, count: total)
    // A pair explains more than a value alone: it wins a tie.
    func offer(
      _ record: Int, _ score: Double, pair: Bool, _ reason: @autoclosure () -> String
    ) {
      let current = best[record]?.score ?? 0
      if score > current || (pair && score == current) { best[record] = (score, reason()) }
    }
    let rareCount = Double(total).squareRoot()
    // A field whose rare values are common together (a long tail) has no outliers by rarity.
    let judged = columns.map { column in
      let tail = column.counts.filter { Double($0) <= rareCount }.reduce(0, +)
      return Double(tail) <= Self.maximumTailShare * Double(total)
    }
    for (column, isJudged) in zip(columns, judged) where isJudged {
      for record in 0..<total {
        let code = Int(column.codes[record])
        guard code >= 0 else { continue }
        let count = column.counts[code]
        guard Double(count) <= rareCount else { continue }
        let score = min(0.85, 1 - log(Double(count)) / logTotal)
        offer(
          record, score, pair: false,
          "\(column.name) '\(SecretScanner.redact(value: column.names[code], named: column.name))': \(count) of \(total) records"
        )
      }
    }
    for first in columns {
      for (second, secondJudged) in zip(columns, judged) where second.name != first.name {
        let width = second.names.count
        var pairs = [Int](repeating: 0, count: first.names.count * width)
        for record in 0..<total {
          let a = Int(first.codes[record])
          let b = Int(second.codes[record])
          if a >= 0, b >= 0 { pairs[a * width + b] += 1 }
        }
        func isRarePartner(_ together: Int, of alone: Int) -> Bool {
          alone >= 100 && together > 0 && Double(together) <= 0.01 * Double(alone)
            && Double(together) <= Double(alone).squareRoot()
        }
        // In a long-tailed field, a partner that is rare with `a` only because it is uncommon
        // everywhere is no surprise: the pair must be scarcer than the partner's share of all
        // records predicts. In a field judged by rarity, an uncommon partner is itself news.
        func isScarcerThanItsShare(_ together: Int, alone: Int, partner b: Int) -> Bool {
          if secondJudged { return true }
          let expected = Double(alone) * Double(second.counts[b]) / Double(total)
          return PoissonTail.log10Lower(atMost: together, mean: expected)
            <= Self.log10PairSignificance
        }
        // How many of each value's records have a rare partner: where that is common (a long
        // tail of partners), one more is no surprise.
        var tail = [Int](repeating: 0, count: first.names.count)
        for a in 0..<first.names.count {
          for b in 0..<width where isRarePartner(pairs[a * width + b], of: first.counts[a]) {
            tail[a] += pairs[a * width + b]
          }
        }
        for record in 0..<total {
          let a = Int(first.codes[record])
          let b = Int(second.codes[record])
          guard a >= 0, b >= 0 else { continue }
          let together = pairs[a * width + b]
          let alone = first.counts[a]
          guard isRarePartner(together, of: alone),
            isScarcerThanItsShare(together, alone: alone, partner: b),
            Double(tail[a]) <= Self.maximumTailShare * Double(alone)
          else { continue }
          let score = min(0.85, 1 - log(Double(together)) / log(Double(alone)))
          offer(
            record, score, pair: true,
            "\(second.name) '\(SecretScanner.redact(value: second.names[b], named: second.name))' with \(first.name) '\(SecretScanner.redact(value: first.names[a], named: first.name))': \(together) of its \(alone) records"
          )
        }
      }
    }
    // The rarest first, while they hold at most a tenth of the records.
    let flagged = best.indices.filter { best[$0] != nil }.sorted {
      (best[$0]?.score ?? 0, -$0) > (best[$1]?.score ?? 0, -$1)
    }
    let kept = flagged.prefix(Int(RareTemplateDetector.maximumShare * Double(total))).sorted()
    let hits = kept.compactMap { record -> DetectorHit? in
      guard let (score, reason) = best[record] else { return nil }
      return DetectorHit(
        record: record, score: score * RoutineWeight.context(input.records[record].level),
        reason: reason, tags: ["rare"])
    }
    return DetectorReport(name: name, parameters: parameters, hits: hits, scores: nil)
  }

  /// The categorical fields of the input, each coded per record (computed once per input,
  /// ``DetectionCache``).
  static func categoricalColumns(_ input: DetectionInput) -> [Column] {
    input.cache.categoricalColumns { computeCategoricalColumns(input) }
  }

  private static func computeCategoricalColumns(_ input: DetectionInput) -> [Column] {
    let sample = input.records.prefix(2_000)
    var presence: [String: Int] = [:]
    var numeric: [String: Int] = [:]
    var order: [String] = []
    input.buffer.bytes.withUnsafeBufferPointer { bytes in
      for record in sample {
        for field in record.fields {
          if presence[field.name] == nil { order.append(field.name) }
          presence[field.name, default: 0] += 1
          if field.value.encoding == .raw, ByteClass.number(bytes, field.value.span) != nil {
            numeric[field.name, default: 0] += 1
          }
        }
      }
    }
    let candidates = order.filter { name in
      guard !excludedNames.contains(name.lowercased()) else { return false }
      let present = presence[name] ?? 0
      return Double(present) >= 0.9 * Double(sample.count)
        && (Double(numeric[name] ?? 0) < 0.5 * Double(present)
          || eventCodeNames.contains(name.lowercased()))
    }
    return candidates.compactMap { column($0, input) }
  }

  /// One field coded per record, or `nil` when it has too many (or too few) distinct values.
  static func column(_ name: String, _ input: DetectionInput) -> Column? {
    var lookup = FieldLookup(name)
    var codeOfHash: [UInt64: Int32] = [:]
    var column = Column(name: name, codes: [], names: [], counts: [])
    column.codes.reserveCapacity(input.records.count)
    var tooMany = false
    input.buffer.bytes.withUnsafeBufferPointer { bytes in
      for index in input.records.indices {
        guard let value = lookup.value(in: input.records[index]) else {
          column.codes.append(-1)
          continue
        }
        let hash = input.buffer.valueHash(value, bytes)
        if let code = codeOfHash[hash] {
          column.codes.append(code)
          column.counts[Int(code)] += 1
          continue
        }
        guard column.names.count < maximumDistinct else {
          tooMany = true
          return
        }
        let code = Int32(column.names.count)
        codeOfHash[hash] = code
        column.names.append(input.buffer.string(value))
        column.counts.append(1)
        column.codes.append(code)
      }
    }
    guard !tooMany, column.names.count >= 2 else { return nil }
    return column
  }
}
