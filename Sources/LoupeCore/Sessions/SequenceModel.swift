/// Which event follows which: an n-gram model over template ids (DeepLog's idea, Du et al.,
/// CCS 2017, with counts instead of an LSTM).
///
/// For every position of every training session (plus the session's end), the model counts the
/// next event after each history of 0 … `history` previous events (the session's start counts as
/// an event). A session is checked event by event: with the longest history seen in training,
/// the next event is expected when it is among the `candidates` most frequent followers and
/// makes at least `minimumShare` of them; an event whose template was never seen is new.
/// Trained on normal sessions (semi-supervised), anything not seen is unexpected; trained on the
/// input itself (unsupervised), rare transitions are.
public struct SequenceModel: Sendable, Codable {
  /// Previous events considered.
  public var history: Int
  /// Followers accepted per history (DeepLog's g).
  public var candidates: Int
  /// The least share of a history's followers an expected event must have.
  public var minimumShare: Double
  /// Template id → event number.
  public private(set) var vocabulary: [String: Int] = [:]
  /// Event number → template text (for reasons).
  public private(set) var texts: [String] = []
  /// Per history length: history hash → next event → count.
  var tables: [[UInt64: [Int: Int]]]

  static let start = -2
  static let end = -3

  /// Creates an empty model.
  public init(history: Int = 3, candidates: Int = 9, minimumShare: Double = 0.01) {
    self.history = max(0, history)
    self.candidates = max(1, candidates)
    self.minimumShare = minimumShare
    tables = Array(repeating: [:], count: self.history + 1)
  }

  /// Learns from sessions given as template numbers, with each number's id and text.
  public mutating func train(_ sessions: [[Int]], ids: [String], texts templateTexts: [String]) {
    var eventOf = eventNumbers(ids: ids)
    for session in sessions {
      let events = session.map { template -> Int in
        if eventOf[template] >= 0 { return eventOf[template] }
        vocabulary[ids[template]] = texts.count
        texts.append(templateTexts[template])
        eventOf[template] = texts.count - 1
        return texts.count - 1
      }
      for position in 0...events.count {
        let next = position < events.count ? events[position] : Self.end
        for order in 0...history {
          let key = Self.key(events, before: position, order: order)
          tables[order][key, default: [:]][next, default: 0] += 1
        }
      }
    }
  }

  /// The hash of the `order` events before `position` (the start marker before the first).
  static func key(_ events: [Int], before position: Int, order: Int) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(order)
    for offset in stride(from: order, through: 1, by: -1) {
      let index = position - offset
      let event = index >= 0 ? events[index] : start
      hash = (hash ^ UInt64(bitPattern: Int64(event))) &* 0x0000_0100_0000_01B3
    }
    return hash
  }

  /// One unexpected step of a session.
  public struct Surprise: Sendable, Hashable {
    /// The position in the session (its length for the end).
    public var position: Int
    /// The template id, or `nil` for the session's end.
    public var event: String?
    /// The template text, or `nil` for the session's end.
    public var text: String?
    /// Whether the template was never seen in training.
    public var isNew: Bool
    /// The events before it (template texts, oldest first; `<start>` for the session's start).
    public var context: [String]
    /// The usual followers of that history (template texts; `<end>` for the end).
    public var expected: [String]
  }

  /// Each template number's event number in this model (−1 for a template never seen).
  public func eventNumbers(ids: [String]) -> [Int] { ids.map { vocabulary[$0] ?? -1 } }

  /// The unexpected steps of a session given as template numbers, with their event numbers
  /// (``eventNumbers(ids:)``), ids and texts.
  public func surprises(
    _ session: [Int], eventOf: [Int], ids: [String], texts templateTexts: [String]
  )
    -> [Surprise]
  {
    let events = session.map { eventOf[$0] }
    var found: [Surprise] = []
    for position in 0...events.count {
      let next = position < events.count ? events[position] : Self.end
      func describe(_ event: Int) -> String {
        switch event {
        case Self.start: "<start>"
        case Self.end: "<end>"
        case -1: "<new>"
        default: texts[event]
        }
      }
      if next == -1 {
        found.append(
          Surprise(
            position: position, event: ids[session[position]],
            text: templateTexts[session[position]], isNew: true,
            context: contextTexts(events, position, describe), expected: []))
        continue
      }
      // The longest history seen in training decides.
      var followers: [Int: Int]?
      var order = min(history, position + 1)
      while order >= 0 {
        if let table = tables[order][Self.key(events, before: position, order: order)],
          !(order > 0 && events[max(0, position - order)..<position].contains(-1))
        {
          followers = table
          break
        }
        order -= 1
      }
      guard let followers else { continue }
      let total = followers.values.reduce(0, +)
      let ranked = followers.sorted {
        $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key)
      }
      let top = ranked.prefix(candidates)
      let count = followers[next] ?? 0
      let expected =
        top.contains { $0.key == next } && Double(count) >= minimumShare * Double(total)
      if !expected {
        found.append(
          Surprise(
            position: position, event: position < events.count ? ids[session[position]] : nil,
            text: position < events.count ? templateTexts[session[position]] : nil,
            isNew: false,
            context: contextTexts(events, position, describe),
            expected: top.prefix(3).map { describe($0.key) }))
      }
    }
    return found
  }

  private func contextTexts(_ events: [Int], _ position: Int, _ describe: (Int) -> String)
    -> [String]
  {
    let from = max(0, position - history)
    var context = events[from..<position].map(describe)
    if position < history { context.insert("<start>", at: 0) }
    return context
  }
}
