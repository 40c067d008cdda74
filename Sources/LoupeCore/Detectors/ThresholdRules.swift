/// The limits of the built-in value rules (config `rule_limits`).
public struct RuleLimits: Sendable, Equatable, Decodable {
  /// CPU, memory, disk, heap or swap use at or above this percentage is resource exhaustion.
  public var resourcePercent = 90.0
  /// A query taking at least this many milliseconds is slow.
  public var slowQueryMilliseconds = 1000.0
  /// This many authentication failures from one source within ``bruteForceWindowSeconds`` is
  /// brute force (``BruteForceDetector``).
  public var bruteForceFailures = 10
  /// The window of ``bruteForceFailures``, in seconds.
  public var bruteForceWindowSeconds = 600.0

  enum CodingKeys: String, CodingKey {
    case resourcePercent = "resource_percent"
    case slowQueryMilliseconds = "slow_query_ms"
    case bruteForceFailures = "brute_force_failures"
    case bruteForceWindowSeconds = "brute_force_window_s"
  }

  /// The defaults: 90%, 1,000 ms, 10 failures in 600 s.
  public init() {}

  /// Decodes any of the limits, keeping the defaults for the others.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    resourcePercent =
      try container.decodeIfPresent(Double.self, forKey: .resourcePercent) ?? resourcePercent
    slowQueryMilliseconds =
      try container.decodeIfPresent(Double.self, forKey: .slowQueryMilliseconds)
      ?? slowQueryMilliseconds
    bruteForceFailures = max(
      2, try container.decodeIfPresent(Int.self, forKey: .bruteForceFailures) ?? bruteForceFailures)
    bruteForceWindowSeconds = max(
      1,
      try container.decodeIfPresent(Double.self, forKey: .bruteForceWindowSeconds)
        ?? bruteForceWindowSeconds)
  }
}

/// The built-in rules that compare a value in the record with a limit: resource use ("cpu 97%",
/// a `memory_percent` field) and slow queries ("query took 5234 ms" in a message about a query,
/// a `duration_ms` field). Values are read from the message bytes (a number followed by `%`, or
/// by `ms`/`s`/`sec`/`seconds`) or from numeric fields, with no regular expression.
enum ThresholdRules {
  /// Words that name a resource (lower-case).
  static let resourceWords = [
    "cpu", "memory", "mem", "heap", "disk", "swap", "filesystem", "inode",
  ]
  private static let resourceBytes = resourceWords.map { Array($0.utf8) }
  /// Words that make a message about a database query (lower-case).
  static let queryWords = [
    "query", "sql", "select ", "insert into", "delete from", "statement", "transaction",
  ]

  /// Whether a template's text is about a query.
  static func isAboutQueries(_ templateText: String) -> Bool {
    let lower = templateText.lowercased()
    return queryWords.contains { lower.contains($0) }
  }

  /// Whether a template's text names a resource (so its records may carry a percentage).
  static func namesResource(_ templateText: String) -> Bool {
    let lower = templateText.lowercased()
    return resourceWords.contains { lower.contains($0) }
  }

  /// The highest percentage that follows a resource word (within 40 bytes) in the span.
  static func resourcePercentage(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> (
    resource: String, percent: Double
  )? {
    var best: (String, Double)?
    var index = span.start
    while index < span.end {
      let atWordStart = index == span.start || !isLetter(bytes[index - 1])
      if atWordStart,
        let word = resourceBytes.firstIndex(where: { startsWith(bytes, index, span.end, $0) })
      {
        let limit = min(span.end, index + resourceBytes[word].count + 40)
        var position = index + resourceBytes[word].count
        while position < limit {
          if isDigit(bytes[position]), position == 0 || !isLetter(bytes[position - 1]),
            let (value, end) = number(bytes, position, limit)
          {
            var after = end
            while after < limit, bytes[after] == 0x20 { after += 1 }
            if after < limit, bytes[after] == 0x25, value <= 100 {
              if value > (best?.1 ?? -1) { best = (resourceWords[word], value) }
              break
            }
            position = end
          } else {
            position += 1
          }
        }
      }
      index += 1
    }
    return best
  }

  /// The first duration in the span (a number followed by ms, s, sec, secs, second(s),
  /// millisecond(s)), in milliseconds.
  static func duration(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Double? {
    var index = span.start
    while index < span.end {
      guard isDigit(bytes[index]), index == span.start || !isLetter(bytes[index - 1]),
        let (value, end) = number(bytes, index, span.end)
      else {
        index += 1
        continue
      }
      var unitStart = end
      while unitStart < span.end, bytes[unitStart] == 0x20 { unitStart += 1 }
      var unitEnd = unitStart
      while unitEnd < span.end, isLetter(bytes[unitEnd]) { unitEnd += 1 }
      let unit = String(
        decoding: UnsafeBufferPointer(rebasing: bytes[unitStart..<unitEnd]), as: UTF8.self
      )
      .lowercased()
      switch unit {
      case "ms", "msec", "msecs", "millisecond", "milliseconds": return value
      case "s", "sec", "secs", "second", "seconds": return value * 1000
      default: index = end
      }
    }
    return nil
  }

  /// How a field name reads as a duration: the factor to milliseconds, or `nil`.
  static func durationFieldFactor(_ name: String) -> Double? {
    // A flattened JSON name is judged by its last part (MongoDB's `attr.durationMillis`).
    let lower = (name.split(separator: ".").last.map(String.init) ?? name).lowercased()
    let bases = [
      "duration", "elapsed", "latency", "query_time", "took", "execution_time", "exec_time",
    ]
    guard bases.contains(where: { lower.hasPrefix($0) }) else { return nil }
    if lower.hasSuffix("_us") || lower.hasSuffix("micros") || lower.hasSuffix("microseconds") {
      return 0.001
    }
    if lower.hasSuffix("millis") || lower.hasSuffix("milliseconds") || lower.hasSuffix("ms") {
      return 1
    }
    if lower.hasSuffix("_s") || lower.hasSuffix("_sec") || lower.hasSuffix("seconds") {
      return 1000
    }
    return 1
  }

  /// Whether a field name reads as a resource percentage (`cpu_percent`, `memory_usage`,
  /// `disk_used_pct`…), and which resource.
  static func resourceField(_ name: String) -> String? {
    let lower = name.lowercased()
    guard let word = resourceWords.first(where: { lower.contains($0) }),
      ["percent", "pct", "usage", "util", "used"].contains(where: { lower.contains($0) })
    else { return nil }
    return word
  }

  private static func startsWith(
    _ bytes: UnsafeBufferPointer<UInt8>, _ index: Int, _ end: Int, _ word: [UInt8]
  ) -> Bool {
    guard end - index >= word.count else { return false }
    for offset in word.indices {
      let byte = bytes[index + offset]
      let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
      if lower != word[offset] { return false }
    }
    return true
  }

  /// A decimal number starting at `start`: its value and the index after it.
  private static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (
    Double, Int
  )? {
    var index = start
    var value = 0.0
    while index < end, isDigit(bytes[index]) {
      value = value * 10 + Double(bytes[index] - 0x30)
      index += 1
    }
    if index + 1 < end, bytes[index] == 0x2E, isDigit(bytes[index + 1]) {
      index += 1
      var scale = 0.1
      while index < end, isDigit(bytes[index]) {
        value += Double(bytes[index] - 0x30) * scale
        scale /= 10
        index += 1
      }
    }
    return index > start ? (value, index) : nil
  }

  @inline(__always) private static func isDigit(_ byte: UInt8) -> Bool {
    byte >= 0x30 && byte <= 0x39
  }
  @inline(__always) private static func isLetter(_ byte: UInt8) -> Bool {
    (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
  }
}
