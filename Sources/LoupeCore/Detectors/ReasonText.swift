import Foundation

/// Numbers as the detectors' reasons write them.
public enum ReasonText {
  /// A whole number as such, anything else with one decimal: `1100`, `97.5`.
  public static func number(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15
      ? String(Int(value)) : String(format: "%.1f", value)
  }

  /// A span of seconds as people say it: `45 s`, `3 min`, `2.5 h`, `4 days`.
  public static func duration(_ seconds: Double) -> String {
    switch seconds {
    case ..<120: "\(number(seconds.rounded())) s"
    case ..<7_200: "\(number((seconds / 6).rounded() / 10)) min"
    case ..<172_800: "\(number((seconds / 360).rounded() / 10)) h"
    default: "\(number((seconds / 8_640).rounded() / 10)) days"
    }
  }
}
