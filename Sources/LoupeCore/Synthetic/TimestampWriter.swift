/// Writes timestamps into a ``LineWriter`` in the styles logs use, converting the date part
/// only when the day changes.
final class TimestampWriter {
  enum Style {
    /// `2024-01-15 08:00:00`
    case isoSpace
    /// `2024-01-15T08:00:00.123Z`
    case isoMillis
    /// `Jan 15 08:00:00`
    case syslog
    /// `15/Jan/2024:08:00:00 +0000`
    case apache
    /// `240115 080000`
    case compact
  }

  private var cachedDay = Int.min
  private var year = 0
  private var month = 0
  private var day = 0
  private static let months = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  ]
  .map { Array($0.utf8) }

  func write(_ seconds: Double, _ style: Style, to output: inout LineWriter) {
    let whole = Int(seconds.rounded(.down))
    let days = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
    if days != cachedDay {
      (year, month, day) = TimestampFormatter.civil(fromDays: days)
      cachedDay = days
    }
    let clock = whole - days * 86_400
    let hour = clock / 3600
    let minute = clock / 60 % 60
    let second = clock % 60
    switch style {
    case .isoSpace, .isoMillis:
      output.append(year, width: 4)
      output.append(byte: 0x2D)
      output.append(month, width: 2)
      output.append(byte: 0x2D)
      output.append(day, width: 2)
      output.append(byte: style == .isoSpace ? 0x20 : 0x54)
      writeClock(hour, minute, second, separator: 0x3A, to: &output)
      if style == .isoMillis {
        output.append(byte: 0x2E)
        output.append(min(999, Int(((seconds - Double(whole)) * 1000).rounded(.down))), width: 3)
        output.append(byte: 0x5A)
      }
    case .syslog:
      output.append(Self.months[month - 1])
      output.append(byte: 0x20)
      if day < 10 { output.append(byte: 0x20) }
      output.append(day)
      output.append(byte: 0x20)
      writeClock(hour, minute, second, separator: 0x3A, to: &output)
    case .apache:
      output.append(day, width: 2)
      output.append(byte: 0x2F)
      output.append(Self.months[month - 1])
      output.append(byte: 0x2F)
      output.append(year, width: 4)
      output.append(byte: 0x3A)
      writeClock(hour, minute, second, separator: 0x3A, to: &output)
      output.append(" +0000")
    case .compact:
      output.append(year % 100, width: 2)
      output.append(month, width: 2)
      output.append(day, width: 2)
      output.append(byte: 0x20)
      output.append(hour, width: 2)
      output.append(minute, width: 2)
      output.append(second, width: 2)
    }
  }

  private func writeClock(
    _ hour: Int, _ minute: Int, _ second: Int, separator: UInt8, to output: inout LineWriter
  ) {
    output.append(hour, width: 2)
    output.append(byte: separator)
    output.append(minute, width: 2)
    output.append(byte: separator)
    output.append(second, width: 2)
  }
}
