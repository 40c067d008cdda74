/// How bad a finding is. ``init(score:)`` uses the standard thresholds (critical ≥ 0.9, high ≥
/// 0.75, medium ≥ 0.6, else low); findings use their detectors' (``SeverityThresholds``).
public enum Severity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
  case low, medium, high, critical

  /// The severity for a score in 0…1.
  public init(score: Double) {
    switch score {
    case 0.9...: self = .critical
    case 0.75..<0.9: self = .high
    case 0.6..<0.75: self = .medium
    default: self = .low
    }
  }

  private var rank: Int {
    switch self {
    case .low: 0
    case .medium: 1
    case .high: 2
    case .critical: 3
    }
  }

  /// Orders severities from low to critical.
  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
