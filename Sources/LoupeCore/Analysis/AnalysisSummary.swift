import Foundation

/// The summary of one input's analysis, written as `STEM_summary.json` (keys in snake_case).
/// The schema is documented in the README.
public struct AnalysisSummary: Sendable, Codable {
  /// A name and how often it occurs.
  public struct Count: Sendable, Codable, Hashable {
    /// The name.
    public var name: String
    /// How many.
    public var count: Int
    /// How many of them are findings.
    public var anomalies: Int?
  }

  /// A template in the top list.
  public struct TopTemplate: Sendable, Codable, Hashable {
    /// The stable template id.
    public var id: String
    /// The template text.
    public var template: String
    /// How many.
    public var count: Int
    /// Its share of all records.
    public var share: Double
  }

  /// Template diversity.
  public struct Templates: Sendable, Codable {
    /// Distinct templates.
    public var unique: Int
    /// Shannon entropy of the template distribution, in bits.
    public var entropyBits: Double
    /// The most frequent template's share of records.
    public var topTemplateRatio: Double
    /// The most frequent templates.
    public var top: [TopTemplate]
    /// Batch or stream mining, and in stream mode the group cap and how often it bit.
    public var mining: MiningReport
  }

  /// Time metrics, when records have timestamps.
  public struct Time: Sendable, Codable {
    /// The earliest timestamp (ISO 8601 UTC).
    public var start: String
    /// The latest timestamp.
    public var end: String
    /// Seconds from start to end.
    public var spanSeconds: Double
    /// Records that have a timestamp.
    public var recordsWithTimestamp: Int
    /// Average records per second over the span.
    public var recordsPerSecond: Double
    /// Average records per minute over the span.
    public var recordsPerMinute: Double
    /// Average records per hour over the span.
    public var recordsPerHour: Double
    /// Records in the busiest minute.
    public var peakPerMinute: Int
  }

  /// One detector's configuration and yield.
  public struct DetectorSummary: Sendable, Codable {
    /// The name.
    public var name: String
    /// The settings it ran with.
    public var parameters: [String: String]
    /// Records it flagged.
    public var flagged: Int
  }

  /// The input.
  public struct Input: Sendable, Codable {
    /// The name.
    public var name: String
    /// Bytes read (after decompression).
    public var bytes: Int
    /// Whether the input was gzip-compressed.
    public var compressed: Bool
  }

  /// The Loupe version that wrote the summary.
  public var loupeVersion: String
  /// Seconds the analysis of this input took (reading to scoring, before writing files).
  public var runSeconds: Double
  /// The input.
  public var input: Input
  /// The format read.
  public var format: String
  /// Physical lines.
  public var lines: Int
  /// Records (a stack trace is one record).
  public var records: Int
  /// Records spanning several lines.
  public var multilineRecords: Int
  /// Records that matched no format.
  public var unparsedRecords: Int
  /// The first unparsed lines.
  public var unparsedExamples: [UnparsedLine]
  /// How many of them are findings.
  public var anomalies: Int
  /// Findings per record.
  public var anomalyRate: Double
  /// Findings per severity.
  public var severities: [String: Int]
  /// Records per level (`none` without a level).
  public var levels: [String: Int]
  /// Share of records at error level or above.
  public var errorRate: Double
  /// Template diversity.
  public var templates: Templates
  /// Time metrics, when records have timestamps.
  public var time: Time?
  /// The 20 most frequent components.
  public var components: [Count]
  /// Distinct components (or processes).
  public var uniqueComponents: Int
  /// Findings per tag.
  public var tags: [String: Int]
  /// The detectors that ran.
  public var detectors: [DetectorSummary]
  /// The data audit of a delimited input.
  public var audit: DataAudit?
  /// Secrets and personal data found: records per kind, and the first examples (redacted).
  public var secrets: Secrets
  /// Floods: templates that suddenly dominated a window of records.
  public var floods: [FloodDetector.Flood]
  /// Rate spikes and drops over time, overall and per template.
  public var rateChanges: [RateDetector.Change]
  /// Session- or window-level results, when records were grouped.
  public var sessions: Sessions?

  /// The session section.
  public struct Sessions: Sendable, Codable {
    /// How records were grouped.
    public var grouping: String
    /// Sessions or windows.
    public var count: Int
    /// Anomalous ones.
    public var anomalous: Int
    /// Anomalous sessions per severity.
    public var severities: [String: Int]
    /// The session detectors' parameters.
    public var detectors: [String: [String: String]]
    /// The 20 highest-scoring anomalous sessions.
    public var top: [Top]

    /// One anomalous session.
    public struct Top: Sendable, Codable {
      /// Its key.
      public var session: String
      /// Its records.
      public var records: Int
      /// Its score.
      public var score: Double
      /// Its severity.
      public var severity: String
      /// Why.
      public var reason: String
    }
  }

  /// Secrets found.
  public struct Secrets: Sendable, Codable {
    /// Records holding each kind.
    public var kinds: [String: Int]
    /// The first records found, with their messages redacted.
    public var examples: [UnparsedLine]
  }
  /// Partial problems met while reading, one sentence each.
  public var problems: [String]
  /// What LLM review did, when it ran.
  public var llm: ReviewSummary?
  /// The alerts raised and what happened to them at each sink.
  public var alerts: [AlertRecord] = []

  /// Builds the summary of `result`.
  /// - Parameters:
  ///   - result: the analysis.
  ///   - options: the run's options.
  public init(_ result: AnalysisResult, options: AnalysisOptions) {
    let read = result.read
    let records = read.records
    let total = max(records.count, 1)
    loupeVersion = Loupe.version
    runSeconds = Self.round(result.seconds)
    input = Input(
      name: read.buffer.name, bytes: read.buffer.bytes.count, compressed: read.buffer.wasCompressed)
    format = read.formatName
    lines = read.lineCount
    self.records = records.count
    multilineRecords = records.filter { $0.lineCount > 1 }.count
    unparsedRecords = read.unparsedCount
    unparsedExamples = read.unparsedExamples.map {
      UnparsedLine(line: $0.line, text: SecretScanner.redact($0.text))
    }
    anomalies = result.findings.count
    anomalyRate = Self.round(Double(result.findings.count) / Double(total))
    var severities: [String: Int] = [:]
    for severity in Severity.allCases { severities[severity.rawValue] = 0 }
    for finding in result.findings { severities[finding.severity.rawValue, default: 0] += 1 }
    self.severities = severities
    var levels: [String: Int] = [:]
    var errors = 0
    for record in records {
      levels[record.level?.name ?? "none", default: 0] += 1
      if let level = record.level, level >= .error { errors += 1 }
    }
    self.levels = levels
    errorRate = Self.round(Double(errors) / Double(total))

    let counts = result.templates.templates.map(\.count)
    let entropy = counts.reduce(0.0) { sum, count in
      let share = Double(count) / Double(total)
      return sum - share * log2(share)
    }
    let order = result.templates.templates.indices.sorted {
      let lhs = result.templates.templates[$0]
      let rhs = result.templates.templates[$1]
      return lhs.count != rhs.count ? lhs.count > rhs.count : lhs.firstLine < rhs.firstLine
    }
    templates = Templates(
      unique: counts.count, entropyBits: Self.round(entropy),
      topTemplateRatio: Self.round(Double(counts.max() ?? 0) / Double(total)),
      top: order.prefix(options.topTemplates).map {
        let template = result.templates.templates[$0]
        return TopTemplate(
          id: template.id, template: SecretScanner.redact(template.text), count: template.count,
          share: Self.round(Double(template.count) / Double(total)))
      }, mining: result.mining)
    time = Self.timeMetrics(records)
    (uniqueComponents, components) = Self.componentCounts(result)
    var tags: [String: Int] = [:]
    for finding in result.findings { for tag in finding.tags { tags[tag, default: 0] += 1 } }
    self.tags = tags
    detectors = result.reports.map { report in
      DetectorSummary(name: report.name, parameters: report.parameters, flagged: report.hits.count)
    }
    audit = read.audit
    var secretKinds: [String: Int] = [:]
    var secretExamples: [UnparsedLine] = []
    if let report = result.reports.first(where: { $0.name == "secrets" }) {
      for (key, value) in report.parameters where key.hasPrefix("found.") {
        secretKinds[String(key.dropFirst(6))] = Int(value) ?? 0
      }
      for hit in report.hits.prefix(3) {
        let record = records[hit.record]
        secretExamples.append(
          UnparsedLine(
            line: record.line,
            text: String(FieldMessage.shownText(record, read.buffer).prefix(200))))
      }
    }
    secrets = Secrets(kinds: secretKinds, examples: secretExamples)
    floods = result.reports.flatMap(\.floods)
    rateChanges = result.reports.flatMap(\.rateChanges)
    sessions = result.sessions.map { analysis in
      let anomalous = analysis.results.filter { $0.severity != nil }
      var severities: [String: Int] = [:]
      for result in anomalous { severities[result.severity?.rawValue ?? "", default: 0] += 1 }
      let top = anomalous.sorted { $0.score > $1.score }.prefix(20).map {
        Sessions.Top(
          session: SecretScanner.redact($0.session.key), records: $0.session.records.count,
          score: Self.round($0.score), severity: $0.severity?.rawValue ?? "", reason: $0.reason)
      }
      return Sessions(
        grouping: analysis.spec.summary, count: analysis.results.count, anomalous: anomalous.count,
        severities: severities, detectors: analysis.parameters, top: Array(top))
    }
    problems = result.problems.map(\.description)
  }

  /// `value` rounded to six decimals, as the summary writes numbers.
  public static func round(_ value: Double) -> Double { (value * 1_000_000).rounded() / 1_000_000 }

  private static func timeMetrics(_ records: [LogRecord]) -> Time? {
    let stamps = records.compactMap(\.timestamp)
    guard let first = stamps.min(), let last = stamps.max() else { return nil }
    var perMinute: [Int: Int] = [:]
    for stamp in stamps { perMinute[Int((stamp / 60).rounded(.down)), default: 0] += 1 }
    let span = last - first
    return Time(
      start: TimestampFormatter.iso8601(first), end: TimestampFormatter.iso8601(last),
      spanSeconds: round(span), recordsWithTimestamp: stamps.count,
      recordsPerSecond: round(span > 0 ? Double(stamps.count) / span : Double(stamps.count)),
      recordsPerMinute: round(span > 0 ? Double(stamps.count) / (span / 60) : Double(stamps.count)),
      recordsPerHour: round(span > 0 ? Double(stamps.count) / (span / 3600) : Double(stamps.count)),
      peakPerMinute: perMinute.values.max() ?? 0)
  }

  /// Records and findings per component; a `String` is made once per distinct component.
  private static func componentCounts(_ result: AnalysisResult) -> (unique: Int, top: [Count]) {
    let buffer = result.read.buffer
    var byBytes: [UInt64: (name: TextRef, count: Int, anomalies: Int)] = [:]
    let anomalous = Set(result.findings.map(\.record))
    buffer.bytes.withUnsafeBufferPointer { bytes in
      for (index, record) in result.read.records.enumerated() {
        guard let component = record.component ?? record.process else { continue }
        let key = Hashing.fnv1a(bytes, component.span) ^ UInt64(component.encoding.rawValue)
        var entry = byBytes[key] ?? (component, 0, 0)
        entry.count += 1
        if anomalous.contains(index) { entry.anomalies += 1 }
        byBytes[key] = entry
      }
    }
    var counts: [String: (Int, Int)] = [:]
    for entry in byBytes.values {
      let name = buffer.string(entry.name)
      let current = counts[name] ?? (0, 0)
      counts[name] = (current.0 + entry.count, current.1 + entry.anomalies)
    }
    let top = counts.sorted {
      $0.value.0 != $1.value.0 ? $0.value.0 > $1.value.0 : $0.key < $1.key
    }
    .prefix(20).map { Count(name: $0.key, count: $0.value.0, anomalies: $0.value.1) }
    return (counts.count, top)
  }

  /// The summary as pretty, key-sorted JSON.
  public func json() throws -> Data {
    try JSONOutput.encode(self)
  }
}

/// Facts about Loupe itself.
public enum Loupe {
  /// The version written in summaries and printed by `--version`.
  public static let version = "0.1.0"
}
