/// Mines message templates in two steps, designed for grouping accuracy across systems with one
/// configuration:
///
/// 1. **Masking and exact grouping.** Each message is tokenized and masked
///    (``TokenMasker``, units absorbed, repeated variables collapsed); messages with the same
///    masked token sequence form a group. This runs on all cores, one chunk of records each.
/// 2. **Merging by column cardinality** (the idea of Brain's bidirectional tree, Yu et al.,
///    ICDE 2023, applied to whole groups): groups of the same length that agree everywhere
///    except at one position are one template with `<*>` there when at least
///    `mergeThreshold` (4) different words occur at that position, the agreeing positions hold
///    at least two constant tokens and half of the message, and the position is not the first
///    (a message's first word usually names the event); with eight different words, one
///    constant token besides is enough. Where a group could merge at two
///    positions, the one with more different words is the variable. Repeated until nothing
///    changes.
///
/// Words that take few values (`Starting`/`Ending`, `ee0`/`alt0`) keep separate templates;
/// words that take many (`user cyrus`, `user news`, …) become variables. Finally a group that
/// fits such a template with the `<*>` spanning two to four words (`user john smith`) joins it.
public struct TemplateMiner: Sendable {
  /// How many different words at one position make it a variable.
  public var mergeThreshold = 4
  /// How many cores the masking and grouping may use.
  public var maximumThreads = Parallel.coreCount

  /// Creates a miner with the default configuration.
  public init() {}

  /// The templates of an input and each record's template.
  public struct Result: Sendable {
    /// Templates, in order of first appearance.
    public var templates: [Template]
    /// For each record, the index of its template in `templates`.
    public var assignments: [Int]
    /// For each template, its tokens' hashes (`nil` where the token holds a variable).
    var tokenPatterns: [[UInt64?]]
    /// For each template, its tokens' text.
    var tokenTexts: [[[UInt8]]]
  }

  private struct ChunkGroups: Sendable {
    var groups: [TemplateGroup] = []
    var keys: [SequenceKey] = []
    var assignments: [Int32] = []
  }

  /// Mines the templates of `records`.
  /// - Parameters:
  ///   - records: the records, whose messages are read from `buffer`.
  ///   - buffer: the input's bytes.
  /// - Returns: the templates and each record's template.
  /// - Complexity: O(*n*) for the masking and grouping; the merge step works on distinct
  ///   groups only.
  public func mine(_ records: [LogRecord], in buffer: SourceBuffer) -> Result {
    mine(records, in: buffer, state: nil).0
  }

  /// Mines the templates of `records`, continuing from a saved state.
  /// - Parameters:
  ///   - records: the records, whose messages are read from `buffer`.
  ///   - buffer: the input's bytes.
  ///   - state: templates learned earlier: a message that fits one of them joins it.
  /// - Returns: this input's templates and assignments, and the updated state (cumulative).
  public func mine(_ records: [LogRecord], in buffer: SourceBuffer, state: TemplateState?) -> (
    Result, TemplateState
  ) {
    let chunkCount = max(1, min(maximumThreads * 2, records.count / 20_000))
    let chunks: [ChunkGroups] = Parallel.map(chunkCount, threads: maximumThreads) { chunk in
      let start = records.count * chunk / chunkCount
      let end = records.count * (chunk + 1) / chunkCount
      return Self.group(records[start..<end], buffer)
    }
    // What earlier runs learned, with none of this run's records yet: a state handed over in
    // memory (the next file of a directory, the next window of a stream) still counts the
    // records of the run that made it.
    var store = TemplateStore(
      (state?.groups ?? []).map { group in
        var carried = group
        carried.runCount = 0
        return carried
      })
    var assignments: [Int] = []
    assignments.reserveCapacity(records.count)
    for chunk in chunks {
      let remap = chunk.groups.indices.map { store.absorb(chunk.groups[$0], key: chunk.keys[$0]) }
      for local in chunk.assignments { assignments.append(remap[Int(local)]) }
    }
    TemplateStore.mergeByCardinality(&store.groups, threshold: mergeThreshold)
    TemplateStore.mergeVariableLength(&store.groups)
    let result = Self.templates(store.groups, assignments, records.map(\.line))
    return (result, TemplateState(groups: store.groups, mergeThreshold: mergeThreshold))
  }

  private static func group(_ records: ArraySlice<LogRecord>, _ buffer: SourceBuffer) -> ChunkGroups
  {
    var result = ChunkGroups()
    result.assignments.reserveCapacity(records.count)
    var index = SequenceIndex()
    var tokenizer = MessageTokenizer()
    for record in records {
      let local = withMessageBytes(record.message, buffer) { bytes, span -> Int32 in
        tokenizer.tokenize(bytes, span)
        let key = SequenceKey(tokenizer.tokens.lazy.map(\.hash), count: tokenizer.tokens.count)
        if let local = index.value(key) {
          result.groups[Int(local)].count += 1
          result.groups[Int(local)].runCount += 1
          return local
        }
        let local = Int32(result.groups.count)
        index.insert(key, local)
        result.keys.append(key)
        result.groups.append(
          TemplateGroup(
            tokens: tokenizer.tokens.map(\.hash), texts: tokenizer.texts(in: bytes),
            variable: tokenizer.tokens.map(\.isVariable), count: 1, runCount: 1,
            firstLine: record.line))
        return local
      }
      result.assignments.append(local)
    }
    return result
  }

  /// Groups with equal final token sequences are one template.
  static func templates(_ groups: [TemplateGroup], _ assignments: [Int], _ lines: [Int])
    -> Result
  {
    var templates: [Template] = []
    var patterns: [[UInt64?]] = []
    var texts: [[[UInt8]]] = []
    var templateOfKey: [[UInt64]: Int] = [:]
    var templateOfGroup: [Int] = []
    templateOfGroup.reserveCapacity(groups.count)
    // Number templates in order of first appearance.
    var firstLineInRun = [Int](repeating: Int.max, count: groups.count)
    for (index, group) in assignments.enumerated().reversed() {
      firstLineInRun[group] = lines[index]
    }
    let order = groups.indices.filter { groups[$0].runCount > 0 }.sorted {
      (firstLineInRun[$0], $0) < (firstLineInRun[$1], $1)
    }
    var templateForOrdered = [Int](repeating: 0, count: groups.count)
    for groupIndex in order {
      let group = groups[groupIndex]
      if let existing = templateOfKey[group.tokens] {
        templates[existing].count += group.runCount
        templates[existing].firstLine = min(
          templates[existing].firstLine, firstLineInRun[groupIndex])
        templateForOrdered[groupIndex] = existing
        continue
      }
      let text = String(decoding: Array(group.texts.joined(separator: [0x20])), as: UTF8.self)
      templateOfKey[group.tokens] = templates.count
      templateForOrdered[groupIndex] = templates.count
      templates.append(
        Template(
          id: Template.id(for: text), text: text, count: group.runCount,
          firstLine: firstLineInRun[groupIndex]))
      patterns.append(zip(group.tokens, group.variable).map { $1 ? nil : $0 })
      texts.append(group.texts)
    }
    templateOfGroup = templateForOrdered
    return Result(
      templates: templates, assignments: assignments.map { templateOfGroup[$0] },
      tokenPatterns: patterns,
      tokenTexts: texts)
  }

  /// The variable values of a record's message, in order, for its template.
  /// - Parameters:
  ///   - record: the record.
  ///   - template: the index of its template in `result`.
  ///   - result: the mining result.
  ///   - buffer: the input's bytes.
  /// - Returns: the parameters, as text.
  public static func parameters(
    of record: LogRecord, template: Int, in result: Result, buffer: SourceBuffer
  ) -> [String] {
    let texts = result.tokenTexts[template]
    let pattern = result.tokenPatterns[template]
    var tokenizer = MessageTokenizer()
    return withMessageBytes(record.message, buffer) { bytes, span in
      tokenizer.tokenize(bytes, span)
      var parameters: [String] = []
      for (position, token) in tokenizer.tokens.enumerated()
      where position < pattern.count && pattern[position] == nil {
        let templateText = texts[position]
        var source = token.source
        // Strip the template token's constant text around its single `<*>`.
        if let wildcard = firstWildcard(templateText), templateText.count > 3,
          lastWildcard(templateText) == wildcard
        {
          let prefix = wildcard
          let suffix = templateText.count - wildcard - 3
          if source.count > prefix + suffix {
            source = ByteSpan(source.start + prefix, source.end - suffix)
          }
        }
        parameters.append(
          String(
            decoding: UnsafeBufferPointer(rebasing: bytes[source.start..<source.end]), as: UTF8.self
          ))
      }
      return parameters
    }
  }

  private static func firstWildcard(_ text: [UInt8]) -> Int? {
    guard text.count >= 3 else { return nil }
    return (0...(text.count - 3)).first {
      text[$0] == 0x3C && text[$0 + 1] == 0x2A && text[$0 + 2] == 0x3E
    }
  }

  private static func lastWildcard(_ text: [UInt8]) -> Int? {
    guard text.count >= 3 else { return nil }
    return (0...(text.count - 3)).last {
      text[$0] == 0x3C && text[$0 + 1] == 0x2A && text[$0 + 2] == 0x3E
    }
  }
}

/// Runs `body` on a message's bytes, decoding escapes into a temporary buffer when it holds
/// any (most escaped messages hold none: they are read in place).
func withMessageBytes<T>(
  _ message: TextRef, _ buffer: SourceBuffer,
  _ body: (UnsafeBufferPointer<UInt8>, ByteSpan) -> T
) -> T {
  if buffer.bytes.withUnsafeBufferPointer({ buffer.isVerbatim(message, $0) }) {
    return buffer.bytes.withUnsafeBufferPointer { body($0, message.span) }
  }
  let decoded = buffer.decodedBytes(message)
  return decoded.withUnsafeBufferPointer { body($0, ByteSpan(0, decoded.count)) }
}
