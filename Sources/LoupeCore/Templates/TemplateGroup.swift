import Foundation

/// A distinct masked token sequence and what is known about it.
struct TemplateGroup: Sendable {
  /// Hashes of the masked tokens (`MessageTokenizer.wildcardHash` for a bare `<*>`).
  var tokens: [UInt64]
  /// The masked tokens' text.
  var texts: [[UInt8]]
  /// Whether each token holds a variable.
  var variable: [Bool]
  /// Records seen, over all runs that shared this state.
  var count: Int
  /// Records seen in this run.
  var runCount: Int
  /// The first line it was seen on, in the run that created it.
  var firstLine: Int
  /// When it was last seen (streaming mode's least-recently-used eviction).
  var lastSeen: Int = 0

  /// Whether a masked token sequence fits this group: same length, and every position equal
  /// or a bare `<*>` here.
  func accepts(_ sequence: [UInt64]) -> Bool {
    guard sequence.count == tokens.count else { return false }
    for index in tokens.indices where tokens[index] != sequence[index] {
      guard tokens[index] == MessageTokenizer.wildcardHash else { return false }
    }
    return true
  }
}

/// The identity of a masked token sequence: two independent 64-bit hashes.
struct SequenceKey: Hashable, Sendable {
  var first: UInt64
  var second: UInt64

  init(first: UInt64, second: UInt64) {
    self.first = first
    self.second = second
  }

  init<S: Sequence<UInt64>>(_ hashes: S, count: Int) {
    var first: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(count)
    var second: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    for hash in hashes {
      first = (first ^ hash) &* 0x100_0000_01b3
      second = (second &+ hash &* 0x9E37_79B9_7F4A_7C15) ^ (second >> 29)
    }
    self.first = first
    self.second = second
  }
}

/// The groups of a mining run, looked up by exact sequence or, for groups with bare `<*>`
/// positions, by matching (``TemplateGroup/accepts(_:)``).
struct TemplateStore: Sendable {
  var groups: [TemplateGroup]
  private var index: [SequenceKey: Int] = [:]
  /// Groups with a bare `<*>`, by length and first token.
  private var patterns: [PatternKey: [Int]] = [:]

  private struct PatternKey: Hashable, Sendable {
    var length: Int
    var first: UInt64
  }

  init(_ groups: [TemplateGroup]) {
    self.groups = groups
    for (position, group) in groups.enumerated() { register(position, group) }
  }

  private mutating func register(_ position: Int, _ group: TemplateGroup) {
    index[SequenceKey(group.tokens, count: group.tokens.count)] = position
    if group.tokens.contains(MessageTokenizer.wildcardHash), let first = group.tokens.first {
      patterns[PatternKey(length: group.tokens.count, first: first), default: []].append(position)
    }
  }

  /// The group a masked sequence belongs to, if any.
  func find(_ sequence: [UInt64], key: SequenceKey) -> Int? {
    if let exact = index[key] { return exact }
    guard let first = sequence.first,
      let candidates = patterns[PatternKey(length: sequence.count, first: first)]
    else { return nil }
    return candidates.first { groups[$0].accepts(sequence) }
  }

  /// Adds a group found in a chunk: to the group it fits, or as a new group.
  /// - Returns: the group's position.
  mutating func absorb(_ group: TemplateGroup, key: SequenceKey) -> Int {
    if let existing = find(group.tokens, key: key) {
      groups[existing].count += group.count
      groups[existing].runCount += group.runCount
      groups[existing].lastSeen = max(groups[existing].lastSeen, group.lastSeen)
      return existing
    }
    groups.append(group)
    register(groups.count - 1, group)
    return groups.count - 1
  }

  /// Variable-length variables: a group that equals a template with a bare `<*>` except that
  /// the `<*>` spans two to four of its tokens (`Invalid user a b from <*>` and `Invalid user
  /// <*> from <*>`) takes that template's tokens, so both are one template.
  static func mergeVariableLength(_ groups: inout [TemplateGroup]) {
    let wildcard = MessageTokenizer.wildcardHash
    struct Ends: Hashable {
      var first: UInt64
      var last: UInt64
    }
    var patterns: [Ends: [Int]] = [:]
    for (index, group) in groups.enumerated() where group.tokens.count >= 3 {
      guard let first = group.tokens.first, let last = group.tokens.last else { continue }
      if group.tokens.dropFirst().dropLast().contains(wildcard) {
        patterns[Ends(first: first, last: last), default: []].append(index)
      }
    }
    guard !patterns.isEmpty else { return }
    for index in groups.indices {
      let tokens = groups[index].tokens
      guard tokens.count >= 4, let first = tokens.first, let last = tokens.last,
        let candidates = patterns[Ends(first: first, last: last)]
      else { continue }
      for candidate in candidates where candidate != index {
        let pattern = groups[candidate].tokens
        let extra = tokens.count - pattern.count
        guard extra >= 1, extra <= 3 else { continue }
        for position in 1..<(pattern.count - 1) where pattern[position] == wildcard {
          let prefixMatches = (0..<position).allSatisfy { pattern[$0] == tokens[$0] }
          let suffixMatches = (position + 1..<pattern.count).allSatisfy {
            pattern[$0] == tokens[$0 + extra]
          }
          // The spanned tokens are words (a name of several words), not masked variables.
          let spanIsWords = (position...(position + extra)).allSatisfy {
            !groups[index].variable[$0]
          }
          guard prefixMatches, suffixMatches, spanIsWords else { continue }
          groups[index].tokens = pattern
          groups[index].texts = groups[candidate].texts
          groups[index].variable = groups[candidate].variable
          break
        }
        if groups[index].tokens.count == pattern.count { break }
      }
    }
  }

  /// Merging by column cardinality: groups of one length that agree everywhere but one
  /// position (not the first) get `<*>` there when at least `threshold` different words occur
  /// at it (partly masked words such as `perl:<*>` included) and the agreeing positions hold
  /// at least two constant tokens and half the message — or, with twice `threshold` different
  /// words, one constant token and half the message with the variable. Where a group could
  /// merge at two positions, the one with more different words wins. Repeated until nothing
  /// changes.
  static func mergeByCardinality(_ groups: inout [TemplateGroup], threshold: Int) {
    var changed = true
    while changed {
      changed = false
      var byLength: [Int: [Int]] = [:]
      for (index, group) in groups.enumerated() {
        byLength[group.tokens.count, default: []].append(index)
      }
      for length in byLength.keys.sorted() {
        guard let members = byLength[length], members.count >= threshold, length >= 2 else {
          continue
        }
        var candidates: [(position: Int, members: [Int], values: Int)] = []
        for position in 1..<length {
          var buckets: [UInt64: [Int]] = [:]
          for member in members
          where groups[member].tokens[position] != MessageTokenizer.wildcardHash {
            var key: UInt64 = 0xcbf2_9ce4_8422_2325
            for (offset, token) in groups[member].tokens.enumerated() {
              key = (key ^ (offset == position ? 0x5EED : token)) &* 0x100_0000_01b3
            }
            buckets[key, default: []].append(member)
          }
          for key in buckets.keys.sorted() {
            guard let bucket = buckets[key], bucket.count >= threshold, let first = bucket.first
            else { continue }
            let values = Set(bucket.map { groups[$0].tokens[position] })
            guard values.count >= threshold else { continue }
            let context = (0..<length).filter { $0 != position && !groups[first].variable[$0] }
              .count
            // A short message with one constant word besides (`upgrade nodejs:<*> <*>`) takes
            // many more values to be a template of its own kind.
            let wide = values.count >= 2 * threshold && context >= 1 && (context + 1) * 2 >= length
            guard (context >= 2 && context * 2 >= length) || wide else { continue }
            candidates.append((position, bucket, values.count))
          }
        }
        // The merge with the most different words first (Brain's order: the column of highest
        // cardinality is the variable), each group once a pass: `status installed perl <*>`,
        // `status installed less <*>`… merge at the package (hundreds of words), not at the
        // status word (a handful).
        candidates.sort {
          ($0.values, -$0.position, -($0.members.first ?? 0))
            > ($1.values, -$1.position, -($1.members.first ?? 0))
        }
        var merged = Set<Int>()
        for candidate in candidates where !candidate.members.contains(where: merged.contains) {
          for member in candidate.members {
            groups[member].tokens[candidate.position] = MessageTokenizer.wildcardHash
            groups[member].texts[candidate.position] = TokenMasker.wildcard
            groups[member].variable[candidate.position] = true
          }
          merged.formUnion(candidate.members)
          changed = true
        }
      }
    }
  }
}

/// A hash table from masked sequences to group numbers, probing on the sequence's own hash
/// (no re-hashing per lookup: this runs once per record).
struct SequenceIndex {
  private var keys: [SequenceKey] = []
  private var values: [Int32] = []
  private var used = 0
  private var mask = 0

  init() { resize(1024) }

  private mutating func resize(_ capacity: Int) {
    let oldKeys = keys
    let oldValues = values
    keys = Array(repeating: SequenceKey(first: 0, second: 0), count: capacity)
    values = Array(repeating: -1, count: capacity)
    mask = capacity - 1
    used = 0
    for (index, value) in oldValues.enumerated() where value >= 0 { insert(oldKeys[index], value) }
  }

  /// The group of `key`, if any.
  func value(_ key: SequenceKey) -> Int32? {
    var slot = Int(truncatingIfNeeded: key.first) & mask
    while values[slot] >= 0 {
      if keys[slot] == key { return values[slot] }
      slot = (slot + 1) & mask
    }
    return nil
  }

  /// Stores `value` for a key not yet present.
  mutating func insert(_ key: SequenceKey, _ value: Int32) {
    if (used + 1) * 2 > keys.count { resize(keys.count * 2) }
    var slot = Int(truncatingIfNeeded: key.first) & mask
    while values[slot] >= 0 { slot = (slot + 1) & mask }
    keys[slot] = key
    values[slot] = value
    used += 1
  }
}
