/// Redis's log (also Valkey's and KeyDB's): `1:M 15 Jan 2024 08:00:00.123 * Ready to accept
/// connections`, and before Redis 3 `[1234] 15 Jan 08:00:00.123 # WARNING …`.
///
/// The number is the pid; the letter after it the process's role (`role`: `M` master, `S`
/// replica, `C` a child writing a snapshot, `X` sentinel). The level is a symbol: `.` debug,
/// `-` verbose (debug), `*` notice (info), `#` warning.
public struct RedisLogFormat: LineFormat {
  /// `redis`.
  public let name = "redis"

  /// Redis's lines never continue on the next line.
  public var joinsContinuationLines: Bool { false }

  /// Creates the format.
  public init() {}

  /// Parses one Redis log line.
  public func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ record: inout LogRecord, _ context: ParseContext
  ) -> Bool {
    var cursor = ByteCursor(bytes, record.span)
    var role: ByteSpan?
    let bracketed = cursor.consume(0x5B)
    guard let pid = cursor.readInteger() else { return false }
    if bracketed {
      guard cursor.consume(0x5D) else { return false }
    } else {
      guard cursor.consume(0x3A), let letter = cursor.peek, Self.roles.contains(letter) else {
        return false
      }
      role = ByteSpan(cursor.position, cursor.position + 1)
      cursor.position += 1
    }
    guard cursor.consume(0x20) else { return false }
    // The time: `15 Jan 2024 08:00:00.123`, or `15 Jan 08:00:00.123` without the year.
    let timeStart = cursor.position
    var words = 0
    var timeEnd = timeStart
    var levelSpan: ByteSpan?
    while words < 5 {
      cursor.skipSpaces()
      let word = cursor.readToken()
      guard !word.isEmpty else { return false }
      if word.count == 1, Self.level(of: bytes[word.start]) != nil {
        levelSpan = word
        break
      }
      timeEnd = word.end
      words += 1
    }
    guard let levelSpan, let level = Self.level(of: bytes[levelSpan.start]), words >= 3,
      let time = context.timestamps.parse(bytes, ByteSpan(timeStart, timeEnd))
    else { return false }
    cursor.skipSpaces()
    record.timestamp = time
    record.pid = pid.value
    record.level = level
    record.message = TextRef(cursor.rest)
    if let role { record.fields = [RecordField("role", TextRef(role))] }
    return true
  }

  /// The role letters.
  static let roles: Set<UInt8> = [0x4D, 0x53, 0x43, 0x58]

  /// The level a symbol stands for.
  static func level(of symbol: UInt8) -> LogLevel? {
    switch symbol {
    case 0x2E, 0x2D: .debug
    case 0x2A: .info
    case 0x23: .warning
    default: nil
    }
  }
}
