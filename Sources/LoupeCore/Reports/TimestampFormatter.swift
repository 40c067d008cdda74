/// Formats instants as ISO 8601 UTC text (`2024-01-15T08:00:00Z`, with milliseconds when the
/// instant has a fraction), without Foundation's formatters.
public enum TimestampFormatter {
  /// The ISO 8601 text for `seconds` since the epoch.
  public static func iso8601(_ seconds: Double) -> String {
    let whole = Int(seconds.rounded(.down))
    let millis = Int(((seconds - Double(whole)) * 1000).rounded())
    var days = whole / 86_400
    var rest = whole % 86_400
    if rest < 0 {
      rest += 86_400
      days -= 1
    }
    let (year, month, day) = civil(fromDays: days)
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    var text =
      "\(year)-\(two(month))-\(two(day))T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))"
    if millis > 0 && millis < 1000 {
      let padded = String(millis)
      text += "." + String(repeating: "0", count: 3 - padded.count) + padded
    }
    return text + "Z"
  }

  /// ISO 8601 text from ``iso8601(_:)`` as people read it, to the second (or to the minute
  /// with `seconds: false`): `2024-01-15T10:00:00.250Z` as `2024-01-15 10:00:00`.
  public static func readable(_ iso: String, seconds: Bool = true) -> String {
    String(iso.prefix(seconds ? 19 : 16)).replacingOccurrences(of: "T", with: " ")
  }

  /// The instant `epoch` (seconds since 1970) as people read it, to the second.
  public static func readable(epoch: Double) -> String {
    readable(iso8601(epoch))
  }

  /// The civil date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
  static func civil(fromDays days: Int) -> (Int, Int, Int) {
    let shifted = days + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}
