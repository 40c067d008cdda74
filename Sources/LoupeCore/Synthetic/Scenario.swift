import Foundation

/// Settings every scenario shares.
public struct GeneratorSettings: Sendable {
  /// Lines to write (CSV scenarios count the header).
  public var lines: Int
  /// The share of lines (or of sessions, for `sessions`) that are anomalous.
  public var anomalyRate: Double = 0.03
  /// The seed: equal settings give byte-identical files.
  public var seed: UInt64 = 42
  /// The first timestamp, in seconds since the epoch (default 2024-01-15T08:00:00Z).
  public var start: Double = 1_705_305_600

  /// Creates settings for `lines` lines.
  public init(lines: Int) { self.lines = lines }
}

/// What a generation wrote.
public struct GenerationSummary: Sendable, Equatable {
  /// Lines written.
  public var lines: Int
  /// Anomalous lines written.
  public var anomalousLines: Int
  /// Sessions written and anomalous sessions, for scenarios that label sessions.
  public var sessions: Int?
  /// Anomalous sessions.
  public var anomalousSessions: Int?
  /// Anomalous lines (or sessions) per kind.
  public var kinds: [String: Int]
}

/// A generator of one kind of log, with labelled anomalies.
///
/// To add a scenario: write one type conforming to this protocol and add it to
/// ``ScenarioCatalog``.
public protocol Scenario: Sendable {
  /// The name used on the command line.
  var name: String { get }
  /// What the scenario writes, for help texts.
  var summary: String { get }
  /// Writes the log and, when `labels` is given, its labels.
  /// - Parameters:
  ///   - settings: size, anomaly rate, seed and start time.
  ///   - output: the log.
  ///   - labels: the label file, or `nil`.
  /// - Returns: what was written.
  /// - Throws: ``LineWriter/WriteError`` when a file cannot be written.
  func generate(_ settings: GeneratorSettings, output: inout LineWriter, labels: inout LabelWriter?)
    throws(LineWriter.WriteError) -> GenerationSummary
}

/// The scenarios `loupe generate` knows.
public enum ScenarioCatalog {
  /// Every scenario, in help order.
  public static let all: [any Scenario] = [
    AppScenario(), AccessScenario(), ProcessCSVScenario(), MetricsCSVScenario(), SessionScenario(),
    SyslogScenario(), JSONScenario(),
  ]

  /// The scenario called `name`, or `nil`.
  public static func scenario(named name: String) -> (any Scenario)? {
    all.first { $0.name == name.lowercased() }
  }
}

/// Writes labels: `line_number,label,kind` for line scenarios (every line, 1 for an anomaly),
/// or `session,label,kind` for session scenarios.
public struct LabelWriter {
  var writer: LineWriter
  private var headerWritten = false

  /// Opens the label file at `path`.
  /// - Throws: ``LineWriter/WriteError`` when it cannot be created.
  public init(path: String) throws(LineWriter.WriteError) {
    writer = try LineWriter(path: path)
  }

  /// Labels physical line `line`.
  mutating func line(_ line: Int, kind: String?) throws(LineWriter.WriteError) {
    try row(header: "line_number,label,kind", kind: kind) { $0.append(line) }
  }

  /// Labels session `session`.
  mutating func session(_ session: String, kind: String?) throws(LineWriter.WriteError) {
    try row(header: "session,label,kind", kind: kind) { $0.append(session) }
  }

  private mutating func row(header: String, kind: String?, key: (inout LineWriter) -> Void)
    throws(LineWriter.WriteError)
  {
    if !headerWritten {
      writer.append(header)
      try writer.endLine()
      headerWritten = true
    }
    key(&writer)
    writer.append(kind == nil ? ",0," : ",1,")
    if let kind { writer.append(kind) }
    try writer.endLine()
  }

  /// Writes what is buffered.
  public mutating func finish() throws(LineWriter.WriteError) { try writer.close() }
}

/// One kind of injected anomaly and how many consecutive lines it spans.
struct AnomalyKind {
  var name: String
  var minLength = 1
  var maxLength = 1
}

/// Decides where anomalies start so that the share of anomalous lines matches the rate:
/// a burst of mean length L starts with probability r / (L(1 − r) + r) at each step.
struct AnomalyPlanner {
  let kinds: [AnomalyKind]
  let startProbability: Double

  init(kinds: [AnomalyKind], rate: Double) {
    self.kinds = kinds
    let meanLength =
      kinds.map { Double($0.minLength + $0.maxLength) / 2 }.reduce(0, +)
      / Double(max(kinds.count, 1))
    let clamped = min(max(rate, 0), 1)
    startProbability = clamped >= 1 ? 1 : clamped / (meanLength * (1 - clamped) + clamped)
  }

  /// The anomaly to start at this step, if any, and its length.
  func next(_ random: inout SeededRandom) -> (kind: AnomalyKind, length: Int)? {
    guard !kinds.isEmpty, random.nextUnit() < startProbability else { return nil }
    let kind = kinds[random.nextIndex(kinds.count)]
    return (kind, kind.minLength + random.nextIndex(kind.maxLength - kind.minLength + 1))
  }
}

/// Realistic event times: exponential gaps whose rate follows a daily rhythm (quiet at night,
/// busiest mid-afternoon) with occasional bursts of activity.
struct SyntheticClock {
  private(set) var now: Double
  private var burstLeft = 0
  let eventsPerSecond: Double

  init(start: Double, eventsPerSecond: Double = 2) {
    now = start
    self.eventsPerSecond = eventsPerSecond
  }

  /// Advances to the next event and returns its time.
  mutating func tick(_ random: inout SeededRandom) -> Double {
    let hour = (now.truncatingRemainder(dividingBy: 86_400)) / 3600
    // 0.2× at 02:00, 1× at 14:00.
    let rhythm = 0.6 - 0.4 * cos((hour - 2) / 24 * 2 * Double.pi)
    var rate = eventsPerSecond * rhythm
    if burstLeft > 0 {
      burstLeft -= 1
      rate *= 20
    } else if random.nextUnit() < 0.001 {
      burstLeft = 20 + random.nextIndex(80)
    }
    now += -log(max(random.nextUnit(), 1e-12)) / rate
    return now
  }
}

extension SeededRandom {
  /// A uniform pick from `items`.
  mutating func pick<T>(_ items: [T]) -> T { items[nextIndex(items.count)] }

  /// A pick from `items` with the given weights.
  mutating func pick<T>(_ items: [(T, Double)]) -> T {
    let total = items.reduce(0) { $0 + $1.1 }
    var target = nextUnit() * total
    for (item, weight) in items {
      target -= weight
      if target < 0 { return item }
    }
    return items[items.count - 1].0
  }

  /// A log-normal draw with the given median and spread (σ of the log).
  mutating func logNormal(median: Double, sigma: Double) -> Double {
    let u = max(nextUnit(), 1e-12)
    let v = nextUnit()
    let normal = (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    return median * exp(sigma * normal)
  }
}
