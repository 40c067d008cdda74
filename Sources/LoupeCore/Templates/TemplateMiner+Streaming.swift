/// How a mining run went, for the summary.
public struct MiningReport: Sendable, Codable, Equatable {
  /// `batch` or `stream`.
  public var mode: String
  /// The group cap in stream mode.
  public var maxTemplates: Int?
  /// Groups evicted to respect the cap.
  public var evicted: Int
}

extension TemplateMiner {
  /// Mines in stream mode: records are fed one at a time to a ``StreamingTemplateMiner`` (so
  /// memory is bounded by `maximumGroups`, not by the input), then the templates are refined
  /// once more and every record is re-labelled with the final templates.
  /// - Parameters:
  ///   - records: the records.
  ///   - buffer: their bytes.
  ///   - state: templates learned earlier.
  ///   - maximumGroups: the group cap.
  /// - Returns: the templates and assignments, the updated state, and the run's report.
  public func mineStreaming(
    _ records: [LogRecord], in buffer: SourceBuffer, state: TemplateState?, maximumGroups: Int
  ) -> (Result, TemplateState, MiningReport) {
    let streaming = StreamingTemplateMiner(
      state: state, maximumGroups: maximumGroups, mergeThreshold: mergeThreshold)
    for record in records {
      withMessageBytes(record.message, buffer) { bytes, span in
        _ = streaming.add(bytes, span, line: record.line)
      }
    }
    streaming.refine()
    // Re-label: each record joins the final template it fits; a record whose group was
    // evicted and fits no template founds its group again.
    var store = TemplateStore(
      streaming.state.groups.map { group in
        var fresh = group
        fresh.runCount = 0
        return fresh
      })
    var tokenizer = MessageTokenizer()
    var assignments: [Int] = []
    assignments.reserveCapacity(records.count)
    for record in records {
      let position = withMessageBytes(record.message, buffer) { bytes, span -> Int in
        tokenizer.tokenize(bytes, span)
        let sequence = tokenizer.tokens.map(\.hash)
        let key = SequenceKey(sequence, count: sequence.count)
        if let position = store.find(sequence, key: key) {
          store.groups[position].runCount += 1
          return position
        }
        let group = TemplateGroup(
          tokens: sequence, texts: tokenizer.texts(in: bytes),
          variable: tokenizer.tokens.map(\.isVariable), count: 1, runCount: 1,
          firstLine: record.line)
        return store.absorb(group, key: key)
      }
      assignments.append(position)
    }
    let result = Self.templates(store.groups, assignments, records.map(\.line))
    let report = MiningReport(
      mode: "stream", maxTemplates: streaming.maximumGroups, evicted: streaming.evicted)
    return (result, TemplateState(groups: store.groups, mergeThreshold: mergeThreshold), report)
  }
}
