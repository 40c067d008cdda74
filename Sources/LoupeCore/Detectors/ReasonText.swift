import Foundation

/// Numbers as the detectors' reasons write them.
public enum ReasonText {
  /// A whole number as such, anything else with one decimal: `1100`, `97.5`.
  public static func number(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15
      ? String(Int(value)) : String(format: "%.1f", value)
  }
}
