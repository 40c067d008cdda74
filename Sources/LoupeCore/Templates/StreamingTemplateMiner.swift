/// Template mining one message at a time, for endless streams (`watch`), with bounded memory.
///
/// Each message joins the group of its masked token sequence (or a template with `<*>` that
/// fits it); ``refine()`` merges groups by column cardinality as in batch mining, so templates
/// improve as messages arrive. At most `maximumGroups` groups are kept: beyond that the least
/// recently seen tenth is evicted, and ``evicted`` counts them so that the cap is reported when
/// it bites.
public final class StreamingTemplateMiner {
  /// The most groups kept.
  public let maximumGroups: Int
  /// How many different words at one position make it a variable.
  public let mergeThreshold: Int
  /// Groups evicted so far to respect ``maximumGroups``.
  public private(set) var evicted = 0
  /// Messages seen.
  public private(set) var messages = 0

  private var store: TemplateStore
  private var tokenizer = MessageTokenizer()
  private var newGroupsSinceRefine = 0

  /// Creates a streaming miner, continuing from `state` when given.
  public init(state: TemplateState? = nil, maximumGroups: Int = 50_000, mergeThreshold: Int = 4) {
    self.maximumGroups = max(16, maximumGroups)
    self.mergeThreshold = mergeThreshold
    store = TemplateStore(state?.groups ?? [])
  }

  /// The number of groups held.
  public var groupCount: Int { store.groups.count }

  /// Adds one message.
  /// - Parameters:
  ///   - bytes: the buffer holding it.
  ///   - span: the message.
  ///   - line: its line number, kept for new templates.
  /// - Returns: the template it belongs to now (templates may still refine).
  @discardableResult
  public func add(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, line: Int) -> Template {
    messages += 1
    tokenizer.tokenize(bytes, span)
    let sequence = tokenizer.tokens.map(\.hash)
    let key = SequenceKey(sequence, count: sequence.count)
    let group = TemplateGroup(
      tokens: sequence, texts: tokenizer.texts(in: bytes),
      variable: tokenizer.tokens.map(\.isVariable), count: 1, runCount: 1, firstLine: line,
      lastSeen: messages)
    let before = store.groups.count
    var position = store.absorb(group, key: key)
    if store.groups.count > before {
      newGroupsSinceRefine += 1
      // Refine as the vocabulary grows: after 64 new groups, then as often as the count doubles.
      if newGroupsSinceRefine >= max(64, store.groups.count / 2) { refine() }
      if store.groups.count > maximumGroups { evictLeastRecentlySeen() }
      if position >= store.groups.count || store.groups[position].lastSeen != messages {
        // Refining or evicting moved the group (a merge may have changed its tokens, even
        // its length): it is the one seen last, with this message.
        position = store.groups.firstIndex { $0.lastSeen == messages } ?? store.groups.count - 1
      }
    }
    return template(store.groups[position])
  }

  /// Adds one message given as text.
  @discardableResult
  public func add(_ message: String, line: Int) -> Template {
    let bytes = Array(message.utf8)
    return bytes.withUnsafeBufferPointer { add($0, ByteSpan(0, $0.count), line: line) }
  }

  /// Merges groups by column cardinality now.
  public func refine() {
    var groups = store.groups
    TemplateStore.mergeByCardinality(&groups, threshold: mergeThreshold)
    TemplateStore.mergeVariableLength(&groups)
    // Groups that became equal are one.
    var merged = TemplateStore([])
    for group in groups {
      _ = merged.absorb(group, key: SequenceKey(group.tokens, count: group.tokens.count))
    }
    store = merged
    newGroupsSinceRefine = 0
  }

  /// The current templates, most frequent first.
  public var templates: [Template] {
    store.groups.map(template).sorted { ($1.count, $0.id) < ($0.count, $1.id) }
  }

  /// What has been learned, to save or to continue from.
  public var state: TemplateState {
    TemplateState(groups: store.groups, mergeThreshold: mergeThreshold)
  }

  private func template(_ group: TemplateGroup) -> Template {
    let text = String(decoding: Array(group.texts.joined(separator: [0x20])), as: UTF8.self)
    return Template(
      id: Template.id(for: text), text: text, count: group.count, firstLine: group.firstLine)
  }

  private func evictLeastRecentlySeen() {
    let keep = maximumGroups - maximumGroups / 10
    let kept = store.groups.sorted { $0.lastSeen > $1.lastSeen }.prefix(keep)
    evicted += store.groups.count - kept.count
    store = TemplateStore(kept.sorted { $0.firstLine < $1.firstLine })
  }
}
