/// What every detector receives: the records, their templates and features, and the run's
/// settings.
public struct DetectionInput: Sendable {
  /// The records.
  public var records: [LogRecord]
  /// Their bytes.
  public var buffer: SourceBuffer
  /// The templates and each record's template.
  public var templates: TemplateMiner.Result
  /// The per-record feature matrix.
  public var features: FeatureMatrix
  /// The seed for all randomness.
  public var seed: UInt64
  /// The expected anomaly share, or `nil` for each detector's own threshold ('auto').
  public var contamination: Double?
  /// The user's rules from the config.
  public var customRules: [CustomRule] = []
  /// The limits of the built-in value rules.
  public var ruleLimits = RuleLimits()
  /// A trained model: detectors that have a part in it use it instead of fitting on the input.
  public var model: LoupeModel?
  /// Whether the records are rows of a table (CSV, TSV) whose message joins the text columns.
  public var tabular = false
  /// Whether the records' fields are parts of a header format rather than data
  /// (``ReadResult/fieldsAreHeaderParts``).
  public var headerFields = false
  /// What the detectors derive from this input, computed once and shared.
  public var cache = DetectionCache()
}

/// One record judged anomalous by one detector.
public struct DetectorHit: Sendable, Hashable {
  /// The record's index in the input's records.
  public var record: Int
  /// How anomalous, in 0…1 (higher is more anomalous).
  public var score: Double
  /// A short plain-English reason.
  public var reason: String
  /// Labels for the kind of problem (`error`, `security`, `resource`, …).
  public var tags: [String]
}

/// What a detector found, and how it was configured.
public struct DetectorReport: Sendable {
  /// The detector's name.
  public var name: String
  /// The parameters it ran with, for the summary.
  public var parameters: [String: String]
  /// The records it flagged.
  public var hits: [DetectorHit]
  /// Its score for every record, when it scores every record.
  public var scores: [Double]?
  /// Floods found, for the flood detector.
  public var floods: [FloodDetector.Flood] = []
  /// Rate spikes and drops found, for the rate detector.
  public var rateChanges: [RateDetector.Change] = []

  /// The report of a detector that did not run on this input: its parameters and why not.
  static func skipped(_ name: String, _ parameters: [String: String], because reason: String)
    -> DetectorReport
  {
    var parameters = parameters
    parameters["skipped"] = reason
    return DetectorReport(name: name, parameters: parameters, hits: [], scores: nil)
  }
}

/// A detector: fits on the input (or a model) and reports the records it judges anomalous,
/// each with a score and a reason.
///
/// To add a detector: write one type conforming to this protocol and add it to
/// ``DetectorCatalog``.
public protocol Detector: Sendable {
  /// The name used by `--detectors` and in outputs.
  var name: String { get }
  /// Runs the detector.
  /// - Parameter input: the records, templates, features and settings.
  /// - Returns: what it found.
  func detect(_ input: DetectionInput) -> DetectorReport
}

/// The detectors Loupe has, by name.
public enum DetectorCatalog {
  /// Every detector name, in the order they run.
  public static let names = [
    "iforest", "lof", "autoencoder", "rules", "rare", "fields", "extremes", "secrets", "flood",
    "burst", "bruteforce", "scan", "rate",
  ]

  /// The detectors that run when none are chosen: all but LOF and the autoencoder, which cost
  /// more (a neighbour search, a network to train) and mostly repeat the forest's verdicts on
  /// log features; choose them with `--detectors`.
  public static let defaultNames = [
    "iforest", "rules", "rare", "fields", "extremes", "secrets", "flood", "burst", "bruteforce",
    "scan", "rate",
  ]

  /// The detector called `name`, or `nil`.
  public static func detector(named name: String) -> (any Detector)? {
    switch name.lowercased() {
    case "iforest", "isolation_forest", "isolation-forest": IsolationForestDetector()
    case "lof", "local_outlier_factor", "local-outlier-factor": LocalOutlierFactorDetector()
    case "autoencoder", "ae": AutoencoderDetector()
    case "rules", "rule": RuleDetector()
    case "rare", "rare-templates": RareTemplateDetector()
    case "fields", "field-rarity": FieldRarityDetector()
    case "extremes", "extreme-values": ExtremeValueDetector()
    case "secrets", "secret", "pii": SecretDetector()
    case "flood", "floods": FloodDetector()
    case "burst", "bursts": BurstDetector()
    case "bruteforce", "brute-force", "brute_force": BruteForceDetector()
    case "scan", "scans", "portscan", "port-scan": ScanDetector()
    case "rate", "rates": RateDetector()
    default: nil
    }
  }
}
