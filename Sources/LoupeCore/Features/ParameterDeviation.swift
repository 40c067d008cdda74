import Foundation

/// How far a record's numeric template parameters are from the usual values of the same
/// parameter of the same template: "Request served in 9000 ms" when that template usually says
/// 20–60 ms.
///
/// For each template and each of its first eight variable positions, the numeric values
/// (after the template's constant text around the `<*>` is cut; a quantity with its unit,
/// `3.456ms` or `512KB`, counts by its number, times and sizes brought to one scale, see
/// ``measuredValue(_:_:)``) give a median and a spread
/// (1.4826 × the median absolute deviation, or the mean absolute deviation when that is 0, at
/// least 1% of the median's size); a record's deviation is the largest
/// `|value − median| / spread` over its numeric parameters, less 3 (ordinary variation, and
/// uniformly drawn ids, count as 0; capped at 10⁶).
/// Parameters that are numbers in fewer than half of their template's records (ids, names)
/// are ignored.
enum ParameterDeviation {
  static let maximumPositions = 8
  /// Deviations up to this many spreads are ordinary variation and count as 0.
  static let ordinary = 3.0

  /// The numeric values of each record's template parameters.
  struct Values: Sendable {
    /// Per template, the token positions of its first variables (at most
    /// ``maximumPositions``), one slot each.
    var positions: [[Int]]
    /// `values[record * maximumPositions + slot]`: the value, NaN where it is not a number
    /// (single precision: the statistics need no more, and the values are kept while the
    /// detectors run).
    var values: [Float]

    /// The value of `record`'s parameter in `slot`, or `nil`.
    func value(_ record: Int, _ slot: Int) -> Double? {
      let value = values[record * ParameterDeviation.maximumPositions + slot]
      return value.isNaN ? nil : Double(value)
    }
  }

  /// One deviation per record.
  static func compute(
    _ records: [LogRecord], buffer: SourceBuffer, templates: TemplateMiner.Result,
    values known: Values? = nil
  ) -> [Double] {
    let count = records.count
    guard count > 0 else { return [] }
    let parameters = known ?? values(records, buffer: buffer, templates: templates)
    let cuts = parameters.positions
    // Pass 2: the median and spread of each template's positions (from at most 2,000 values
    // each, taken evenly).
    var samples = [[[Double]]](
      repeating: [[Double]](repeating: [], count: maximumPositions),
      count: templates.templates.count)
    var seen = [[Int]](
      repeating: [Int](repeating: 0, count: maximumPositions), count: templates.templates.count)
    for row in 0..<count {
      let template = templates.assignments[row]
      for slot in 0..<cuts[template].count {
        guard let value = parameters.value(row, slot) else { continue }
        seen[template][slot] += 1
        let stride = max(1, templates.templates[template].count / 2000)
        if seen[template][slot] % stride == 0 { samples[template][slot].append(value) }
      }
    }
    let profiles: [[(median: Double, spread: Double)?]] = samples.enumerated().map {
      template, positions in
      positions.enumerated().map { slot, sample in
        guard seen[template][slot] * 2 >= templates.templates[template].count, sample.count >= 5
        else { return nil }
        let sorted = sample.sorted()
        let median = sorted[sorted.count / 2]
        let deviations = sorted.map { abs($0 - median) }.sorted()
        let mad = deviations[deviations.count / 2] * 1.4826
        let mean = deviations.reduce(0, +) / Double(deviations.count)
        let spread = max(mad > 0 ? mad : mean, 0.01 * abs(median), 1e-9)
        return (median, spread)
      }
    }
    // Pass 3: each record's largest deviation.
    return (0..<count).map { row in
      let template = templates.assignments[row]
      var largest = 0.0
      for slot in 0..<cuts[template].count {
        guard let value = parameters.value(row, slot), let profile = profiles[template][slot] else {
          continue
        }
        largest = max(largest, abs(value - profile.median) / profile.spread)
      }
      return min(max(0, largest - ordinary), 1e6)
    }
  }

  /// The numeric values of each record's template parameters (on all cores).
  static func values(
    _ records: [LogRecord], buffer: SourceBuffer, templates: TemplateMiner.Result
  ) -> Values {
    let count = records.count
    // The byte length of the constant text before and after the `<*>` of each variable token.
    let cuts: [[(position: Int, prefix: Int, suffix: Int)]] = templates.tokenPatterns.indices.map {
      template in
      var result: [(Int, Int, Int)] = []
      for (position, token) in templates.tokenPatterns[template].enumerated()
      where token == nil && result.count < maximumPositions {
        let text = templates.tokenTexts[template][position]
        var prefix = 0
        var suffix = 0
        if let first = wildcard(in: text) {
          prefix = first
          suffix = text.count - first - 3
        }
        result.append((position, prefix, suffix))
      }
      return result
    }
    // Pass 1, on all cores: the numeric value at each cut position of each record (NaN when
    // not a number).
    let chunks = min(max(1, count / 8192), Parallel.coreCount * 4)
    let parts = Parallel.map(chunks) { chunk -> [Float] in
      let start = count * chunk / chunks
      let end = count * (chunk + 1) / chunks
      var values = [Float](repeating: .nan, count: (end - start) * maximumPositions)
      var tokenizer = MessageTokenizer()
      for row in start..<end {
        let template = templates.assignments[row]
        let positions = cuts[template]
        guard !positions.isEmpty else { continue }
        withMessageBytes(records[row].message, buffer) { bytes, span in
          tokenizer.tokenize(bytes, span)
          for (slot, cut) in positions.enumerated() where cut.position < tokenizer.tokens.count {
            var source = tokenizer.tokens[cut.position].source
            if source.count > cut.prefix + cut.suffix {
              source = ByteSpan(source.start + cut.prefix, source.end - cut.suffix)
            }
            if let value = measuredValue(bytes, source), value.isFinite {
              values[(row - start) * maximumPositions + slot] = Float(value)
            }
          }
        }
      }
      return values
    }
    return Values(positions: cuts.map { $0.map(\.position) }, values: parts.flatMap { $0 })
  }

  /// The number in `span`: a plain number, or a quantity with its unit (`3.456ms`, `2.5s`,
  /// `512KB`, `97%`), times and sizes brought to one scale (milliseconds, bytes) so that
  /// `2.48s` and `300ms` of one template compare.
  static func measuredValue(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Double? {
    if let plain = ByteClass.number(bytes, span) { return plain }
    var end = span.start
    while end < span.end, ByteClass.isDigit(bytes[end]) || bytes[end] == 0x2E { end += 1 }
    let unit = ByteSpan(end, span.end)
    guard end > span.start, (1...3).contains(unit.count),
      (unit.start..<unit.end).allSatisfy({ ByteClass.isLetter(bytes[$0]) || bytes[$0] == 0x25 }),
      let value = ByteClass.number(bytes, ByteSpan(span.start, end))
    else { return nil }
    let text = UnsafeBufferPointer(rebasing: bytes[unit.start..<unit.end])
    let scale = unitScales.first { $0.unit.elementsEqual(text) }?.scale ?? 1
    return value * scale
  }

  /// Units of time (to milliseconds) and size (to bytes), as logs write them.
  private static let unitScales: [(unit: [UInt8], scale: Double)] = [
    ("ns", 1e-6), ("us", 1e-3), ("ms", 1), ("s", 1_000), ("sec", 1_000), ("K", 1_024),
    ("KB", 1_024), ("k", 1_024), ("kB", 1_024), ("M", 1_048_576), ("MB", 1_048_576),
    ("G", 1_073_741_824), ("GB", 1_073_741_824),
  ].map { (Array($0.0.utf8), $0.1) }

  private static func wildcard(in text: [UInt8]) -> Int? {
    guard text.count >= 3 else { return nil }
    return (0...(text.count - 3)).first {
      text[$0] == 0x3C && text[$0 + 1] == 0x2A && text[$0 + 2] == 0x3E
    }
  }
}
