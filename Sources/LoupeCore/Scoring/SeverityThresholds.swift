/// The scores at which one detector's hits become low, medium, high and critical findings.
/// Below `low` a hit is not a finding.
public struct SeverityThresholds: Sendable, Hashable, Codable {
  /// The least score of a critical finding.
  public var critical: Double
  /// The least score of a high finding.
  public var high: Double
  /// The least score of a medium finding.
  public var medium: Double
  /// The least score of any finding.
  public var low: Double

  /// Thresholds from the most to the least severe.
  public init(critical: Double, high: Double, medium: Double, low: Double) {
    self.critical = critical
    self.high = high
    self.medium = medium
    self.low = low
  }

  /// 0.90 / 0.75 / 0.60 / 0.50: the rules, rare templates, secrets, floods and bursts.
  public static let standard = SeverityThresholds(critical: 0.9, high: 0.75, medium: 0.6, low: 0.5)

  /// Each detector's defaults: the Isolation Forest 0.95/0.85/0.65/0.45 (its scores bunch
  /// between 0.5 and 0.8), the autoencoder 0.90/0.75/0.60/0.40, LOF 0.90/0.75/0.60/0.45, every
  /// other detector ``standard``.
  public static let defaults: [String: SeverityThresholds] = [
    "iforest": SeverityThresholds(critical: 0.95, high: 0.85, medium: 0.65, low: 0.45),
    "autoencoder": SeverityThresholds(critical: 0.9, high: 0.75, medium: 0.6, low: 0.4),
    "lof": SeverityThresholds(critical: 0.9, high: 0.75, medium: 0.6, low: 0.45),
  ]

  /// The thresholds for `detector`: `overrides` first, then ``defaults``, then ``standard``.
  public static func forDetector(_ detector: String, overrides: [String: SeverityThresholds] = [:])
    -> SeverityThresholds
  {
    overrides[detector] ?? defaults[detector] ?? standard
  }

  /// The severity of `score`, or `nil` below `low`.
  public func severity(_ score: Double) -> Severity? {
    switch score {
    case critical...: .critical
    case high...: .high
    case medium...: .medium
    case low...: .low
    default: nil
    }
  }

  /// Whether the thresholds rise from low to critical, all within 0…1.
  public var isOrdered: Bool {
    0 <= low && low <= medium && medium <= high && high <= critical && critical <= 1
  }

  /// `critical/high/medium/low`, for the summary.
  public var summary: String {
    [critical, high, medium, low].map { String($0) }.joined(separator: "/")
  }
}
