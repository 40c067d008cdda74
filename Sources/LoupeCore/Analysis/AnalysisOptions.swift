/// Everything that shapes an analysis, from flags and the config file.
public struct AnalysisOptions: Sendable {
  /// How inputs are read.
  public var read = ReadOptions()
  /// The detectors to run (names from ``DetectorCatalog`` and, with sessions,
  /// ``SessionAnalysis/detectorNames``).
  public var detectors: [String] = DetectorCatalog.defaultNames + ["sequence", "pca", "invariants"]
  /// A trained model (`--model`): its templates, forest and session detectors are used instead
  /// of fitting on the input.
  public var model: LoupeModel?
  /// How records are grouped into sessions or windows, if they are.
  public var sessions: SessionSpec?
  /// Which sessions train the session models (`--train-fraction`, `--split`, `--labels`);
  /// `nil`: all sessions train and all are judged (unsupervised).
  public var sessionSplit: SessionSplit?
  /// Weight session count vectors by TF-IDF for PCA (`--no-tfidf` turns it off).
  public var sessionTFIDF = true
  /// The expected anomaly share, or `nil` for 'auto'.
  public var contamination: Double?
  /// Per-detector severity thresholds that replace the defaults (config `severity_thresholds`).
  public var severityThresholds: [String: SeverityThresholds] = [:]
  /// The user's rules (config `rules`).
  public var customRules: [CustomRule] = []
  /// The limits of the built-in value rules (config `rule_limits`).
  public var ruleLimits = RuleLimits()
  /// The seed for all randomness.
  public var seed: UInt64 = 42
  /// How many templates the summary lists.
  public var topTemplates = 10
  /// Templates learned earlier (`--state`): messages that fit them join them.
  public var templateState: TemplateState?
  /// Mine templates one record at a time with a group cap (`--stream`), instead of in batch.
  public var streamingTemplates = false
  /// The group cap in stream mode (`--max-templates`).
  public var maximumTemplates = 50_000

  /// Where to report progress, if anywhere.
  public var progress: ProgressSink?

  /// Creates options with the defaults.
  public init() {}
}
