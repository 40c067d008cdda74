/// Parses the timestamps that logs use into seconds since 1970-01-01 UTC, from bytes.
///
/// One scanner reads the groups of digits, a month name and a zone offset, then interprets
/// them by shape: ISO 8601 (`2024-01-15T08:00:00.123Z`, `2024-01-15 08:00:00,123`,
/// `2005-06-03-15.42.50.675872`, `2024/01/15 08:00:00`), Apache access (`28/Jan/2026:08:59:59
/// +0530`), ctime (`Sun Dec 04 04:47:44 2005`), syslog (`Jan 28 08:59:59`, year taken from
/// the context; also `15 Jan 08:00:00.123`), `yy/MM/dd HH:mm:ss`, `MM-dd HH:mm:ss.SSS`, `yyMMdd HHmmss`,
/// `yyyyMMdd-HH:mm:ss:SSS`, and epoch
/// seconds or milliseconds. Times without a zone are taken as UTC.
public struct TimestampParser: Sendable {
  /// The year assumed for timestamps that have none (syslog, Android).
  public var defaultYear: Int

  /// Creates a parser that assumes `defaultYear` when a timestamp has no year.
  public init(defaultYear: Int) {
    self.defaultYear = defaultYear
  }

  private struct Group {
    var value: Int
    var digits: Int
    /// The byte before the group (0 at the start).
    var separator: UInt8
    /// The index just past the group's last digit.
    var end: Int
  }

  /// Parses `span` of `bytes` as a timestamp.
  /// - Parameters:
  ///   - bytes: the source buffer.
  ///   - span: the timestamp text (surrounding spaces and brackets are tolerated).
  /// - Returns: seconds since the epoch, or `nil` when the text is not a timestamp.
  public func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Double? {
    // The groups live on the stack: this runs once per line.
    withUnsafeTemporaryAllocation(of: Group.self, capacity: 10) { storage in
      var groups = GroupList(storage: storage)
      var end = span.start
      return parse(bytes, span, into: &groups, end: &end, trailingText: false)
    }
  }

  /// Parses the timestamp that starts `span` of `bytes` and may be followed by other text
  /// (`20171223-22:15:29:606|Step_LSC|…`).
  /// - Parameters:
  ///   - bytes: the source buffer.
  ///   - span: text starting with the timestamp.
  /// - Returns: seconds since the epoch and the index just past the timestamp's last part, or
  ///   `nil` when the text does not start with a timestamp.
  public func prefix(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> (
    seconds: Double, end: Int
  )? {
    // The groups live on the stack: this runs once per line.
    withUnsafeTemporaryAllocation(of: Group.self, capacity: 10) { storage in
      var groups = GroupList(storage: storage)
      var end = span.start
      guard let seconds = parse(bytes, span, into: &groups, end: &end, trailingText: true) else {
        return nil
      }
      return (seconds, end)
    }
  }

  /// Whether `word` names a time zone as logs write it after the time: `UTC`, `GMT`, `Z`, a
  /// common abbreviation (`CET`, `PST`…) or an offset (`+0100`, `-05:00`). Such a zone is
  /// skipped, not applied: times without an offset are taken as UTC.
  public static func isZoneName(_ bytes: UnsafeBufferPointer<UInt8>, _ word: ByteSpan) -> Bool {
    guard word.count >= 1, word.count <= 6 else { return false }
    let first = bytes[word.start]
    if first == 0x2B || first == 0x2D {
      let digits = (word.start + 1..<word.end).filter { ByteClass.isDigit(bytes[$0]) }.count
      let colons = (word.start + 1..<word.end).filter { bytes[$0] == 0x3A }.count
      return (digits == 4 || digits == 2) && digits + colons == word.count - 1 && colons <= 1
    }
    let text = UnsafeBufferPointer(rebasing: bytes[word.start..<word.end])
    return zoneNames.contains { $0.count == text.count && $0.elementsEqual(text) }
  }

  private static let zoneNames: [[UInt8]] = [
    "UTC", "GMT", "Z", "CET", "CEST", "EET", "EEST", "WET", "WEST", "BST", "IST", "MSK", "EST",
    "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "JST", "KST", "AEST", "AEDT", "HKT", "SGT",
  ].map { Array($0.utf8) }

  /// A fixed-capacity list of groups over stack storage.
  private struct GroupList {
    let storage: UnsafeMutableBufferPointer<Group>
    var count = 0

    init(storage: UnsafeMutableBufferPointer<Group>) { self.storage = storage }

    var isEmpty: Bool { count == 0 }
    var first: Group? { count > 0 ? storage[0] : nil }
    var last: Group? { count > 0 ? storage[count - 1] : nil }
    subscript(index: Int) -> Group { storage[index] }

    mutating func append(_ group: Group) {
      guard count < storage.count else { return }
      storage.initializeElement(at: count, to: group)
      count += 1
    }
  }

  private func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, into groups: inout GroupList,
    end: inout Int, trailingText: Bool
  )
    -> Double?
  {
    var zoneEnd = -1
    var month = 0
    var monthBeforeGroup = -1
    var zoneOffset = 0
    var index = span.start
    var previous: UInt8 = 0
    while index < span.end, groups.count < 9 {
      let byte = bytes[index]
      if ByteClass.isDigit(byte) {
        let start = index
        var value = 0
        while index < span.end, ByteClass.isDigit(bytes[index]), index - start < 13 {
          value = value * 10 + Int(bytes[index] &- 0x30)
          index += 1
        }
        // A sign right after the time of day starts a zone offset.
        if (previous == 0x2B || previous == 0x2D) && groups.count >= 5
          && (index - start == 4 || index - start == 2)
        {
          var minutes = 0
          var hours = value
          if index - start == 4 {
            hours = value / 100
            minutes = value % 100
          } else if index + 1 < span.end, bytes[index] == 0x3A, ByteClass.isDigit(bytes[index + 1])
          {
            var cursorIndex = index + 1
            while cursorIndex < span.end, ByteClass.isDigit(bytes[cursorIndex]) {
              minutes = minutes * 10 + Int(bytes[cursorIndex] &- 0x30)
              cursorIndex += 1
            }
            index = cursorIndex
          }
          zoneOffset = (hours * 3600 + minutes * 60) * (previous == 0x2D ? -1 : 1)
          zoneEnd = index
          break
        }
        groups.append(Group(value: value, digits: index - start, separator: previous, end: index))
        previous = bytes[index - 1]
        continue
      }
      if ByteClass.isLetter(byte) {
        let start = index
        while index < span.end, ByteClass.isLetter(bytes[index]) { index += 1 }
        let length = index - start
        if trailingText, previous == 0x20,
          groups.count >= 2 + (month == 0 ? 1 : 0)
            || (groups.count == 1 && month == 0 && [9, 10, 13].contains(groups[0].digits))
        {
          // Text after the timestamp (or after epoch seconds or milliseconds).
          break
        }
        if length >= 3, length <= 9, month == 0, let found = Self.month(bytes, start) {
          month = found
          monthBeforeGroup = groups.count
        } else if length == 1, byte | 0x20 == 0x74 {
          // The ISO `T` between date and time.
        } else if Self.weekday(bytes, start, length) {
          // `Sun` in `Sun Dec 04 04:47:44 2005`.
        } else if groups.count >= 5 {
          // A zone name (`Z`, `UTC`) or text after a complete timestamp.
          if length == 1, byte == 0x5A, let last = groups.last, last.end == start {
            zoneEnd = index
          }
          break
        } else {
          return nil
        }
        previous = bytes[index - 1]
        continue
      }
      previous = byte
      index += 1
    }
    guard
      let (seconds, used) = interpret(
        groups, month: month, monthBeforeGroup: monthBeforeGroup, zone: zoneOffset),
      used > 0
    else { return nil }
    end = max(groups[used - 1].end, used == groups.count ? zoneEnd : -1)
    return seconds
  }

  /// The instant the groups give, and how many of them it takes.
  private func interpret(_ groups: GroupList, month: Int, monthBeforeGroup: Int, zone: Int)
    -> (Double, Int)?
  {
    guard let first = groups.first else { return nil }
    var year = defaultYear
    var monthValue = month
    var day = 0
    // The clock is groups[timeStart..<timeEnd], unless `clock` gives it directly.
    var timeStart = 0
    var timeEnd = groups.count
    var clock: (Int, Int, Int)?
    if month != 0 {
      // Month name: `Dec 04 04:47:44 2005`, `28/Jan/2026:08:59:59`, `Jan 28 08:59:59`.
      if monthBeforeGroup == 1, first.digits <= 2, groups.count >= 5, groups[1].digits == 4 {
        day = first.value
        year = groups[1].value
        timeStart = 2
      } else if monthBeforeGroup == 1, first.digits <= 2, groups.count >= 3 {
        // `15 Jan 08:00:00.123` (Redis before 3.0): the year from the context.
        day = first.value
        timeStart = 1
      } else if monthBeforeGroup == 0 {
        day = first.value
        timeStart = 1
        if let last = groups.last, last.digits == 4, groups.count >= 5 {
          year = last.value
          timeEnd = groups.count - 1
        } else if groups.count >= 5, groups[1].digits == 4 {
          year = groups[1].value
          timeStart = 2
        }
      } else {
        return nil
      }
    } else if first.digits == 4 && groups.count >= 3 {
      year = first.value
      monthValue = groups[1].value
      day = groups[2].value
      timeStart = 3
    } else if first.digits == 8 && groups.count >= 3 {
      // yyyyMMdd HH:mm:ss, yyyyMMdd-HH:mm:ss:SSS (HealthApp).
      year = first.value / 10_000
      monthValue = first.value / 100 % 100
      day = first.value % 100
      timeStart = 1
    } else if groups.count == 1 && (first.digits == 9 || first.digits == 10) {
      return (Double(first.value), 1)
    } else if groups.count == 1 && first.digits == 13 {
      return (Double(first.value) / 1000, 1)
    } else if groups.count >= 2 && first.digits == 6 && groups[1].digits == 6 {
      // yyMMdd HHmmss (HDFS).
      year = 2000 + first.value / 10_000
      monthValue = first.value / 100 % 100
      day = first.value % 100
      let packed = groups[1].value
      clock = (packed / 10_000, packed / 100 % 100, packed % 100)
    } else if first.digits <= 2 && groups.count >= 5 {
      if groups.count >= 6 && groups[2].digits == 4 {
        // MM/dd/yyyy or dd/MM/yyyy.
        year = groups[2].value
        (monthValue, day) =
          first.value > 12 ? (groups[1].value, first.value) : (first.value, groups[1].value)
        timeStart = 3
      } else if groups.count >= 6 && groups[2].separator != 0x20 && groups[3].separator == 0x20 {
        // yy/MM/dd HH:mm:ss (Spark) or MM/dd/yy.
        if groups[2].value > 31 || (first.value <= 12 && groups[1].value > 12) {
          year = 2000 + groups[2].value
          monthValue = first.value
          day = groups[1].value
        } else {
          year = 2000 + first.value
          monthValue = groups[1].value
          day = groups[2].value
        }
        timeStart = 3
      } else {
        // MM-dd HH:mm:ss(.SSS) (Android).
        monthValue = first.value
        day = groups[1].value
        timeStart = 2
      }
    } else {
      return nil
    }
    guard (1...12).contains(monthValue), (1...31).contains(day), (1...9999).contains(year) else {
      return nil
    }
    let clockCount = clock == nil ? max(0, timeEnd - timeStart) : 3
    guard clockCount >= 2 else {
      if clockCount == 0 {
        return (Double(Self.daysFromCivil(year, monthValue, day) * 86_400 - zone), groups.count)
      }
      return nil
    }
    let hour = clock?.0 ?? groups[timeStart].value
    let minute = clock?.1 ?? groups[timeStart + 1].value
    let second = clock?.2 ?? (clockCount >= 3 ? groups[timeStart + 2].value : 0)
    guard hour < 24, minute < 60, second <= 60 else { return nil }
    var fraction = 0.0
    // The groups taken: the date's, the clock's, a fraction's, and a year after the clock.
    var used = clock == nil ? timeStart + min(clockCount, 3) : 2
    if timeEnd < groups.count, month != 0 { used = groups.count }
    if clock == nil, clockCount >= 4 {
      let part = groups[timeStart + 3]
      // `.123`, `,123`, or `:123` (milliseconds after a colon, as HealthApp writes them).
      if part.separator == 0x2E || part.separator == 0x2C
        || (part.separator == 0x3A && part.digits == 3)
      {
        var scale = 1.0
        for _ in 0..<part.digits { scale *= 10 }
        fraction = Double(part.value) / scale
        if used == timeStart + 3 { used += 1 }
      }
    }
    let days = Self.daysFromCivil(year, monthValue, day)
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - zone
    return (Double(seconds) + fraction, used)
  }

  /// Days from 1970-01-01 to the given civil date (proleptic Gregorian), after Howard
  /// Hinnant's `days_from_civil`.
  public static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
    let shiftedYear = month <= 2 ? year - 1 : year
    let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
    let yearOfEra = shiftedYear - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The civil year of an instant, for choosing a default year.
  public static func year(of seconds: Double) -> Int {
    let days = Int((seconds / 86_400).rounded(.down)) + 719_468
    let era = (days >= 0 ? days : days - 146_096) / 146_097
    let dayOfEra = days - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    return yearOfEra + era * 400 + (monthIndex >= 10 ? 1 : 0)
  }

  private static let monthNames: [UInt32] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
  ].map { name in name.utf8.reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }

  private static let weekdayNames: [UInt32] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    .map { name in name.utf8.reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }

  private static func packLower3(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> UInt32 {
    (UInt32(bytes[start] | 0x20) << 16) | (UInt32(bytes[start + 1] | 0x20) << 8)
      | UInt32(bytes[start + 2] | 0x20)
  }

  private static func month(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
    let packed = packLower3(bytes, start)
    return monthNames.firstIndex(of: packed).map { $0 + 1 }
  }

  private static func weekday(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int)
    -> Bool
  {
    count >= 3 && weekdayNames.contains(packLower3(bytes, start))
  }
}
