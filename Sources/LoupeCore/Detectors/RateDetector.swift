import Foundation

/// Finds rate spikes and drops over time: for all records together and for each template seen
/// at least 30 times, records are counted in time buckets and each bucket is judged against
/// its neighbourhood.
///
/// - Buckets: the smallest of 1 s, 5 s, 10 s, 30 s, 1 min, 5 min, 15 min, 1 h, 6 h and 1 day
///   that gives at most 720 buckets over the input's time span; at least 12 buckets are needed.
/// - Expected count of a bucket: the median of the 24 buckets around it (12 each side), so a
///   daily rhythm or a slow trend is expected, while a short spike does not raise its own
///   baseline. For a template's spikes, at least its mean per bucket.
/// - A spike: the count is at least twice the expected count plus 5, a Poisson tail
///   P(X ≥ count) below 10⁻⁶, and, for a template, at least three times the size of the burst
///   its other records usually come in: the count of the bucket that holds the median of its
///   records outside this run of buckets. A job that always logs in bursts of five is not
///   spiking, nor is a message that came in three bursts of thirty when a fourth comes; a
///   login failure seen now and then, then 120 times in two minutes, is.
/// - A drop, for a series present in most buckets: a run of buckets each at most a quarter of
///   the level before the run (the median of the 12 buckets before it, at most three times the
///   series' median bucket, so that the end of a burst is not a drop), whose total has a Poisson probability P(X ≤ total) below
///   10⁻⁶ against that level times the run's length, which must be at least 10. A template's
///   drop must be its own: at most a tenth of its level while the other records keep at least
///   half of theirs (a general lull is one overall drop, not one per template). The last
///   bucket, partly outside the input, never counts.
/// - A daily rhythm: when the input covers two days or more (in buckets of 6 hours or less),
///   a bucket is also judged against the same time of day on the other days (the median of
///   those buckets): a spike must exceed that too, and a drop must be low against it — the
///   nightly fall of a web site's traffic is its rhythm, reported on no night; a night as busy
///   as the days, or a morning without the usual traffic, still is.
/// - A bursty series is not judged for spikes: when more than 2% of its buckets (and more than
///   two) would be spikes, bursts are its usual rhythm (a job that runs a few times a week, a
///   sampled log), and one more burst is no news — the long-tail rule of ``FieldRarityDetector``
///   and ``ExtremeValueDetector``. The parameters count such series (`bursty_series`).
/// - Consecutive spike buckets of one series are one change. Each change is reported once: a spike on the
///   first record of its span, a drop on the first record after it. The score grows with the
///   evidence: 0.6 at P = 10⁻⁶, +0.02 per further factor of ten, at most 0.85 (a change of rate
///   alone is at most a high finding, never a critical one). A change reported on a routine
///   record is weighed down as evidence about its context (``RoutineWeight``): a low finding
///   at most — a heartbeat that stops is reported on the next heartbeat, a routine message.
public struct RateDetector: Detector {
  /// `rate`.
  public let name = "rate"
  /// The most changes reported (the strongest first).
  public var maximumChanges = 100

  /// Creates the detector.
  public init() {}

  /// One spike or drop.
  public struct Change: Sendable, Codable, Hashable {
    /// `spike` or `drop`.
    public var kind: String
    /// The template's id, or `all` for all records.
    public var scope: String
    /// The template (redacted), for a template's change.
    public var template: String?
    /// The first bucket's start.
    public var start: String
    /// The last bucket's end.
    public var end: String
    /// Records counted in the span.
    public var count: Int
    /// Records expected in the span.
    public var expected: Double
    /// log₁₀ of the Poisson tail of the most improbable bucket.
    public var log10Probability: Double
    /// The line the finding is on.
    public var line: Int
  }

  static let bucketWidths: [Double] = [1, 5, 10, 30, 60, 300, 900, 3600, 21_600, 86_400]

  /// Runs the detector.
  public func detect(_ input: DetectionInput) -> DetectorReport {
    var parameters: [String: String] = [:]
    let stamped = input.records.indices.filter { input.records[$0].timestamp != nil }
    guard stamped.count >= 100, stamped.count * 2 >= input.records.count,
      let first = stamped.map({ input.records[$0].timestamp ?? 0 }).min(),
      let last = stamped.map({ input.records[$0].timestamp ?? 0 }).max()
    else {
      return .skipped(name, parameters, because: "fewer than 100 records with timestamps")
    }
    let span = last - first
    guard let width = Self.bucketWidths.first(where: { span / $0 <= 720 }), span / width >= 12
    else {
      return .skipped(name, parameters, because: "the time span is too short for 12 buckets")
    }
    let bucketCount = Int(span / width) + 1
    parameters["bucket_seconds"] = String(Int(width))
    parameters["buckets"] = String(bucketCount)
    // Buckets per day, when the input covers two days or more in buckets of 6 hours or less.
    let day = Int(86_400 / width)
    let period: Int? = day >= 4 && bucketCount >= 2 * day ? day : nil
    parameters["daily_rhythm"] = period == nil ? "no" : "yes"

    // Counts per bucket, overall and per frequent template; the first record in each bucket.
    let templateCount = input.templates.templates.count
    let tracked = (0..<templateCount).filter { input.templates.templates[$0].count >= 30 }
    var slot = [Int](repeating: -1, count: templateCount)
    for (index, template) in tracked.enumerated() { slot[template] = index }
    var overall = [Int](repeating: 0, count: bucketCount)
    var perTemplate = [[Int]](
      repeating: [Int](repeating: 0, count: bucketCount), count: tracked.count)
    var firstInBucket = [Int](repeating: -1, count: bucketCount)
    var firstOfTemplate = [[Int: Int]](repeating: [:], count: tracked.count)
    for index in stamped {
      guard let stamp = input.records[index].timestamp else { continue }
      let bucket = min(bucketCount - 1, Int((stamp - first) / width))
      overall[bucket] += 1
      if firstInBucket[bucket] < 0 { firstInBucket[bucket] = index }
      let template = slot[input.templates.assignments[index]]
      if template >= 0 {
        perTemplate[template][bucket] += 1
        if firstOfTemplate[template][bucket] == nil { firstOfTemplate[template][bucket] = index }
      }
    }

    var changes: [(change: Change, record: Int)] = []
    var burstySeries = 0
    func bucketTime(_ bucket: Int) -> String {
      TimestampFormatter.iso8601(first + Double(bucket) * width)
    }
    func record(after bucket: Int) -> Int? {
      var next = bucket + 1
      while next < bucketCount {
        if firstInBucket[next] >= 0 { return firstInBucket[next] }
        next += 1
      }
      return nil
    }
    func collect(
      _ counts: [Int], scope: String, template: String?, firstRecord: (Int) -> Int?
    ) {
      let floor = scope == "all" ? 0 : Double(counts.reduce(0, +)) / Double(bucketCount)
      guard counts.contains(where: { $0 > 0 }) else { return }
      let rest = scope == "all" ? nil : zip(overall, counts).map { $0 - $1 }
      let found = Self.changes(
        counts, meanFloor: floor, ownBursts: scope != "all", rest: rest, period: period)
      if found.bursty { burstySeries += 1 }
      for span in found.spans {
        let recordIndex: Int?
        if span.kind == "spike" {
          recordIndex = (span.start...span.end).lazy.compactMap(firstRecord).first
        } else {
          recordIndex = record(after: span.end) ?? firstInBucket[..<span.start].last { $0 >= 0 }
        }
        guard let recordIndex else { continue }
        changes.append(
          (
            Change(
              kind: span.kind, scope: scope, template: template, start: bucketTime(span.start),
              end: bucketTime(span.end + 1), count: span.count,
              expected: (span.expected * 10).rounded() / 10,
              log10Probability: (span.log10Probability * 10).rounded() / 10,
              line: input.records[recordIndex].line), recordIndex
          ))
      }
    }
    collect(overall, scope: "all", template: nil) {
      firstInBucket[$0] >= 0 ? firstInBucket[$0] : nil
    }
    for (index, template) in tracked.enumerated() {
      let info = input.templates.templates[template]
      collect(
        perTemplate[index], scope: info.id, template: SecretScanner.redact(info.text)
      ) { firstOfTemplate[index][$0] }
    }
    changes.sort {
      ($0.change.log10Probability, $0.change.line) < ($1.change.log10Probability, $1.change.line)
    }
    changes = Array(changes.prefix(maximumChanges))
    changes.sort { $0.change.line < $1.change.line }
    parameters["changes"] = String(changes.count)
    parameters["bursty_series"] = String(burstySeries)
    let unit = Self.describe(width)
    let shapes = MessageShape.kinds(input)
    let hits = changes.map { item in
      let change = item.change
      let what = change.template.map { "\"\($0)\"" } ?? "all records"
      let records = change.template == nil ? "records" : "records of \(what)"
      let reason =
        "rate \(change.kind): \(change.count) \(records) between \(change.start) and \(change.end) (usual \(ReasonText.number(change.expected)) in that time, \(unit) buckets)"
      var score = min(0.85, 0.6 + 0.02 * max(0, -change.log10Probability - 6))
      score *= RoutineWeight.context(
        input.records[item.record].level, shapes[input.templates.assignments[item.record]])
      return DetectorHit(record: item.record, score: score, reason: reason, tags: ["rate"])
    }
    return DetectorReport(
      name: name, parameters: parameters, hits: hits, scores: nil,
      rateChanges: changes.map(\.change))
  }

  /// A run of flagged buckets.
  struct Span {
    var kind: String
    var start: Int
    var end: Int
    var count: Int
    var expected: Double
    var log10Probability: Double
  }

  /// The spikes and drops of one series of bucket counts, in bucket order.
  /// A bursty series (``isBursty(_:buckets:)``) contributes its drops only.
  /// With `period` (buckets per day), each bucket is also judged against the same time of day
  /// on the other days (``sameTimeOfDay(_:period:)``).
  static func changes(
    _ counts: [Int], meanFloor: Double, ownBursts: Bool = false, rest: [Int]? = nil,
    period: Int? = nil
  ) -> (spans: [Span], bursty: Bool) {
    let daily = period.map { sameTimeOfDay(counts, period: $0) }
    let spikes = spikes(counts, meanFloor: meanFloor, ownBursts: ownBursts, daily: daily)
    let bursty = isBursty(spikes, buckets: counts.count)
    let spans = (bursty ? [] : spikes) + drops(counts, rest: rest, daily: daily)
    return (spans.sorted { $0.start < $1.start }, bursty)
  }

  /// The most buckets of a series that may be spikes, as a share of its buckets (at least
  /// ``minimumBurstyBuckets`` + 1 make a series bursty).
  static let maximumSpikeShare = 0.02
  /// Spike buckets a series may always have without being bursty.
  static let minimumBurstyBuckets = 2

  /// Whether `spikes` cover so many of a series' `buckets` that bursts are its usual rhythm.
  static func isBursty(_ spikes: [Span], buckets: Int) -> Bool {
    let spikeBuckets = spikes.reduce(0) { $0 + $1.end - $1.start + 1 }
    return spikeBuckets > max(minimumBurstyBuckets, Int(maximumSpikeShare * Double(buckets)))
  }

  /// Buckets far above the median of the 24 around them; consecutive ones are one spike. With
  /// `ownBursts` (a template's series), a bucket must also be three times the usual burst of
  /// the series' other records (``usualBurst(_:outside:)``).
  static func spikes(
    _ counts: [Int], meanFloor: Double, ownBursts: Bool = false, daily: [Double]? = nil
  ) -> [Span] {
    let baseline = Self.baseline(counts)
    var candidates: [(bucket: Int, expected: Double, evidence: Double)] = []
    for bucket in counts.indices {
      let expected = max(meanFloor, baseline[bucket], daily?[bucket] ?? 0)
      let count = counts[bucket]
      guard Double(count) >= 2 * expected + 5 else { continue }
      let evidence = PoissonTail.log10Upper(atLeast: count, mean: max(expected, 0.5))
      if evidence <= -6 { candidates.append((bucket, expected, evidence)) }
    }
    if ownBursts {
      // Each run of candidate buckets against the bursts of the records outside it.
      var kept: [(bucket: Int, expected: Double, evidence: Double)] = []
      var start = 0
      while start < candidates.count {
        var end = start
        while end + 1 < candidates.count, candidates[end + 1].bucket == candidates[end].bucket + 1 {
          end += 1
        }
        let run = candidates[start].bucket...candidates[end].bucket
        let usual = Double(usualBurst(counts, outside: run))
        kept += candidates[start...end].filter { Double(counts[$0.bucket]) >= 3 * usual }
        start = end + 1
      }
      candidates = kept
    }
    var spans: [Span] = []
    for (bucket, expected, evidence) in candidates {
      let count = counts[bucket]
      if var last = spans.last, last.end == bucket - 1 {
        last.end = bucket
        last.count += count
        last.expected += expected
        last.log10Probability = min(last.log10Probability, evidence)
        spans[spans.count - 1] = last
      } else {
        spans.append(
          Span(
            kind: "spike", start: bucket, end: bucket, count: count, expected: expected,
            log10Probability: evidence))
      }
    }
    return spans
  }

  /// The size of the burst a record of the series usually comes in, apart from the buckets of
  /// `run`: the count of the bucket holding the median record outside them (0 when there is
  /// none).
  static func usualBurst(_ counts: [Int], outside run: ClosedRange<Int>) -> Int {
    var sizes: [Int] = []
    for (bucket, count) in counts.enumerated() where count > 0 && !run.contains(bucket) {
      sizes.append(count)
    }
    sizes.sort()
    let half = (sizes.reduce(0, +) + 1) / 2
    var seen = 0
    for size in sizes {
      seen += size
      if seen >= half { return size }
    }
    return 0
  }

  /// Runs of buckets at most a quarter of the level before them (the median of the 12
  /// buckets before the run), judged together: their total against the level times their
  /// length. With `rest` (the other records, for a template's series), the run must be the
  /// template's own: at most a tenth of its level while the rest keep half of theirs.
  static func drops(_ counts: [Int], rest: [Int]?, daily: [Double]? = nil) -> [Span] {
    func level(_ series: [Int], before bucket: Int) -> Double? {
      guard bucket >= 6 else { return nil }
      let previous = series[max(0, bucket - 12)..<bucket].sorted()
      return Double(previous[previous.count / 2])
    }
    let share = rest == nil ? 0.25 : 0.1
    // Only a steady series can drop: present in most buckets, and judged from a level near its
    // usual one (the end of a burst is not a drop).
    let sorted = counts.sorted()
    let typical = sorted.isEmpty ? 0 : Double(sorted[sorted.count / 2])
    guard typical > 0 else { return [] }
    var spans: [Span] = []
    var bucket = 1
    // The last bucket is partly outside the input, so it never counts.
    let last = counts.count - 2
    while bucket <= last {
      guard let before = level(counts, before: bucket), before > 0, before <= 3 * typical,
        Double(counts[bucket]) <= before * share
      else {
        bucket += 1
        continue
      }
      var end = bucket
      while end + 1 <= last, Double(counts[end + 1]) <= before * share { end += 1 }
      let length = Double(end - bucket + 1)
      let total = counts[bucket...end].reduce(0, +)
      // A night's lull is no drop where the other nights are as quiet.
      let usualThen = daily.map { $0[bucket...end].reduce(0, +) } ?? .infinity
      let expected = min(before * length, usualThen)
      guard Double(total) <= expected * share else {
        bucket = end + 1
        continue
      }
      var own = true
      if let rest, let restBefore = level(rest, before: bucket) {
        own = Double(rest[bucket...end].reduce(0, +)) >= restBefore * length / 2
      }
      let evidence = PoissonTail.log10Lower(atMost: total, mean: expected)
      if own, expected >= 10, evidence <= -6 {
        spans.append(
          Span(
            kind: "drop", start: bucket, end: end, count: total, expected: expected,
            log10Probability: evidence))
      }
      bucket = end + 1
    }
    return spans
  }

  /// Each bucket's count at the same time of day on the other days: the median of the
  /// buckets `period` apart from it (the last bucket, partly outside the input, left out).
  /// Traffic that falls every night and rises every morning is the input's rhythm, not a change.
  static func sameTimeOfDay(_ counts: [Int], period: Int) -> [Double] {
    let complete = counts.count - 1
    return counts.indices.map { bucket in
      var others: [Int] = []
      var other = bucket % period
      while other < complete {
        if other != bucket { others.append(counts[other]) }
        other += period
      }
      guard !others.isEmpty else { return 0 }
      others.sort()
      return Double(others[others.count / 2])
    }
  }

  /// Each bucket's expected count: the median of the 24 buckets around it.
  static func baseline(_ counts: [Int]) -> [Double] {
    let radius = 12
    return counts.indices.map { bucket in
      var around: [Int] = []
      for other in max(0, bucket - radius)...min(counts.count - 1, bucket + radius)
      where other != bucket {
        around.append(counts[other])
      }
      around.sort()
      return around.isEmpty ? 0 : Double(around[around.count / 2])
    }
  }

  static func describe(_ width: Double) -> String {
    switch width {
    case 86_400: "1-day"
    case 3600...: "\(Int(width / 3600))-hour"
    case 60...: "\(Int(width / 60))-minute"
    default: "\(Int(width))-second"
    }
  }
}
