import Foundation

/// Groups records into sessions (``SessionSpec``).
///
/// Keys: a name that is a field of the records is looked up as a field; anything else is a
/// regular expression searched in the message (in the whole record where the message was made
/// from its fields, ``FieldMessage``, which leaves identifiers out) — by a byte matcher
/// (``KeyPattern``) for the usual shapes, otherwise by a regular-expression engine, and then
/// only on messages that hold the literal text every match must contain
/// (``CustomRule/requiredLiteral(_:)``). Sessions are ordered by their first record.
public enum SessionGrouper {
  /// A key that is not a field name and not a valid regular expression.
  public struct InvalidKey: Error, CustomStringConvertible {
    /// The sentence.
    public var description: String
  }

  /// The sessions of `records`.
  /// - Throws: ``InvalidKey`` when the key is neither a field nor a valid expression.
  public static func group(_ records: [LogRecord], buffer: SourceBuffer, spec: SessionSpec)
    throws(InvalidKey) -> [Session]
  {
    switch spec {
    case .key(let key):
      return try byKey(records, buffer: buffer, key: key)
    case .window(let length, let step):
      return byWindow(records, length: length, step: min(step, length))
    }
  }

  /// The sessions of what was read; an invalid key is reported as a problem with this input.
  public static func group(_ read: ReadResult, spec: SessionSpec) throws(InputProblem)
    -> [Session]
  {
    do {
      return try group(read.records, buffer: read.buffer, spec: spec)
    } catch {
      throw InputProblem(file: read.buffer.name, message: error.description)
    }
  }

  static func byKey(_ records: [LogRecord], buffer: SourceBuffer, key: String) throws(InvalidKey)
    -> [Session]
  {
    var indexOfKey: [String: Int] = [:]
    var sessions: [Session] = []
    func add(_ name: String, _ record: Int) {
      let stamp = records[record].timestamp
      if let index = indexOfKey[name] {
        if sessions[index].records.last != record { sessions[index].records.append(record) }
        if let stamp {
          sessions[index].start = min(sessions[index].start ?? stamp, stamp)
          sessions[index].end = max(sessions[index].end ?? stamp, stamp)
        }
      } else {
        indexOfKey[name] = sessions.count
        sessions.append(Session(key: name, records: [record], start: stamp, end: stamp))
      }
    }
    let isField = records.prefix(1000).contains { record in
      record.fields.contains { $0.name == key }
    }
    if isField {
      var lookup = FieldLookup(key)
      for (index, record) in records.enumerated() {
        if let value = lookup.value(in: record) { add(buffer.string(value), index) }
      }
      return sessions
    }
    if let pattern = KeyPattern(key) {
      // Keys are found by a hash of their bytes, checked against the key's bytes; no string is
      // made but for a new session.
      var indexOfHash: [UInt64: Int] = [:]
      var keyBytes: [[UInt8]] = []
      var seen: [Int] = []
      for index in records.indices {
        let stamp = records[index].timestamp
        withMessageBytes(FieldMessage.recordText(records[index], buffer), buffer) { message, span in
          seen.removeAll(keepingCapacity: true)
          for found in pattern.keys(message, span) where !found.isEmpty {
            let bytes = UnsafeBufferPointer(rebasing: message[found.start..<found.end])
            let hash = Hashing.fnv1a(message, found)
            let session: Int
            if let known = indexOfHash[hash], keyBytes[known].elementsEqual(bytes) {
              session = known
            } else {
              let name = String(decoding: bytes, as: UTF8.self)
              if indexOfHash[hash] == nil {
                indexOfHash[hash] = sessions.count
              }
              // A new key, or one whose hash another key has: by name.
              if let named = indexOfKey[name] {
                session = named
              } else {
                session = sessions.count
                indexOfKey[name] = session
                keyBytes.append(Array(bytes))
                sessions.append(Session(key: name, records: [], start: stamp, end: stamp))
              }
            }
            guard !seen.contains(session) else { continue }
            seen.append(session)
            sessions[session].records.append(index)
            if let stamp {
              sessions[session].start = min(sessions[session].start ?? stamp, stamp)
              sessions[session].end = max(sessions[session].end ?? stamp, stamp)
            }
          }
        }
      }
      return sessions
    }
    let expression: NSRegularExpression
    do {
      expression = try NSRegularExpression(pattern: key)
    } catch {
      throw InvalidKey(
        description:
          "--session-key '\(key)' is neither a field of the records nor a valid regular expression")
    }
    let literal = CustomRule.requiredLiteral(key).map { Array($0.utf8) }
    buffer.bytes.withUnsafeBufferPointer { bytes in
      for (index, record) in records.enumerated() {
        let searched = FieldMessage.recordText(record, buffer)
        if let literal, !RuleCatalog.contains(bytes, searched.span, literal) { continue }
        let text = buffer.string(searched)
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        var seen: Set<String> = []
        for match in expression.matches(in: text, range: range) {
          let captured = match.numberOfRanges > 1 ? match.range(at: 1) : match.range
          guard captured.location != NSNotFound, let found = Range(captured, in: text) else {
            continue
          }
          let name = String(text[found])
          if !name.isEmpty, seen.insert(name).inserted { add(name, index) }
        }
      }
    }
    return sessions
  }

  static func byWindow(_ records: [LogRecord], length: Double, step: Double) -> [Session] {
    let stamps = records.compactMap(\.timestamp)
    guard let first = stamps.min(), let last = stamps.max(), step > 0 else { return [] }
    let origin = (first / step).rounded(.down) * step
    let windowCount = Int(((last - origin) / step).rounded(.down)) + 1
    var members = [[Int]](repeating: [], count: windowCount)
    let spans = Int((length / step).rounded(.up))
    for (index, record) in records.enumerated() {
      guard let stamp = record.timestamp else { continue }
      // Windows start at origin + w·step and cover [start, start + length).
      let latest = Int(((stamp - origin) / step).rounded(.down))
      for window in max(0, latest - spans + 1)...latest
      where stamp < origin + Double(window) * step + length {
        members[window].append(index)
      }
    }
    return members.enumerated().compactMap { window, records in
      guard !records.isEmpty else { return nil }
      let start = origin + Double(window) * step
      return Session(
        key: TimestampFormatter.iso8601(start), records: records, start: start,
        end: start + length)
    }
  }
}
