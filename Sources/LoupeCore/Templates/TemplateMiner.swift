/// Mines message templates, after Drain (He et al., "Drain: An Online Log Parsing Approach
/// with Fixed Depth Tree", ICWS 2017): messages are masked token by token, routed by token
/// count and first token, and merged into the most similar cluster of their leaf when at
/// least `similarityThreshold` of the positions agree; positions that differ become `<*>`.
///
/// This is the foundation's miner; it works on bytes and hashes, never on `String`s.
public struct TemplateMiner: Sendable {
  /// The share of equal token positions needed to join a cluster (default 0.5).
  public var similarityThreshold: Double = 0.5

  /// Creates a miner.
  public init(similarityThreshold: Double = 0.5) {
    self.similarityThreshold = similarityThreshold
  }

  /// The templates of an input and each record's template.
  public struct Result: Sendable {
    /// Templates, in order of first appearance.
    public var templates: [Template]
    /// For each record, the index of its template in `templates`.
    public var assignments: [Int]
    /// For each template, its tokens (`nil` for a `<*>` position), to extract parameters.
    var tokenPatterns: [[UInt64?]]
  }

  private struct Cluster {
    var tokens: [UInt64]
    var texts: [[UInt8]]
    var count: Int
    var firstLine: Int
  }

  private struct LeafKey: Hashable {
    var length: Int
    var first: UInt64
  }

  /// Mines the templates of `records`.
  /// - Parameters:
  ///   - records: the records, whose messages are read from `buffer`.
  ///   - buffer: the input's bytes.
  /// - Returns: the templates and each record's template.
  /// - Complexity: O(*n* · *c*) where *c* is the number of clusters in a leaf.
  public func mine(_ records: [LogRecord], in buffer: SourceBuffer) -> Result {
    var clusters: [Cluster] = []
    var leaves: [LeafKey: [Int]] = [:]
    var assignments: [Int] = []
    assignments.reserveCapacity(records.count)
    var tokens: [MaskedToken] = []
    tokens.reserveCapacity(64)
    for record in records {
      let clusterIndex = withMessageBytes(record.message, buffer) { bytes, span in
        MessageTokenizer.tokens(bytes, span, into: &tokens)
        let first =
          tokens.first.map { $0.variable == nil ? $0.hash : MessageTokenizer.wildcard } ?? 0
        let key = LeafKey(length: tokens.count, first: first)
        var best: (index: Int, similarity: Double)?
        for candidate in leaves[key] ?? [] {
          let similarity = Self.similarity(clusters[candidate].tokens, tokens)
          if similarity > best?.similarity ?? -1 { best = (candidate, similarity) }
        }
        if let best, best.similarity >= similarityThreshold,
          tokens.count > 2 || best.similarity == 1
        {
          var cluster = clusters[best.index]
          for position in tokens.indices where cluster.tokens[position] != tokens[position].hash {
            cluster.tokens[position] = MessageTokenizer.wildcard
            cluster.texts[position] = Array("<*>".utf8)
          }
          cluster.count += 1
          clusters[best.index] = cluster
          return best.index
        }
        let cluster = Cluster(
          tokens: tokens.map(\.hash), texts: tokens.map { MessageTokenizer.maskedText(bytes, $0) },
          count: 1, firstLine: record.line)
        clusters.append(cluster)
        leaves[key, default: []].append(clusters.count - 1)
        return clusters.count - 1
      }
      assignments.append(clusterIndex)
    }
    // Clusters whose final texts coincide are one template.
    var templates: [Template] = []
    var patterns: [[UInt64?]] = []
    var templateOfText: [String: Int] = [:]
    var templateOfCluster: [Int] = []
    for cluster in clusters {
      let text =
        cluster.texts.isEmpty
        ? "" : String(decoding: Array(cluster.texts.joined(separator: [0x20])), as: UTF8.self)
      if let existing = templateOfText[text] {
        templates[existing].count += cluster.count
        templates[existing].firstLine = min(templates[existing].firstLine, cluster.firstLine)
        templateOfCluster.append(existing)
        continue
      }
      templateOfText[text] = templates.count
      templateOfCluster.append(templates.count)
      templates.append(
        Template(
          id: Template.id(for: text), text: text, count: cluster.count, firstLine: cluster.firstLine
        ))
      patterns.append(cluster.tokens.map { $0 == MessageTokenizer.wildcard ? nil : $0 })
    }
    return Result(
      templates: templates, assignments: assignments.map { templateOfCluster[$0] },
      tokenPatterns: patterns)
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
    let pattern = result.tokenPatterns[template]
    var tokens: [MaskedToken] = []
    return withMessageBytes(record.message, buffer) { bytes, span in
      MessageTokenizer.tokens(bytes, span, into: &tokens)
      var parameters: [String] = []
      for (position, token) in tokens.enumerated() {
        let expected = position < pattern.count ? pattern[position] : nil
        if expected == nil {
          let variable = token.variable ?? token.span
          parameters.append(
            String(
              decoding: UnsafeBufferPointer(rebasing: bytes[variable.start..<variable.end]),
              as: UTF8.self))
        } else if let variable = token.variable {
          parameters.append(
            String(
              decoding: UnsafeBufferPointer(rebasing: bytes[variable.start..<variable.end]),
              as: UTF8.self))
        }
      }
      return parameters
    }
  }

  private static func similarity(_ template: [UInt64], _ tokens: [MaskedToken]) -> Double {
    guard !tokens.isEmpty else { return 1 }
    var equal = 0
    for index in tokens.indices where template[index] == tokens[index].hash { equal += 1 }
    return Double(equal) / Double(tokens.count)
  }
}

/// Runs `body` on a message's bytes, decoding escapes into a temporary buffer when needed.
func withMessageBytes<T>(
  _ message: TextRef, _ buffer: SourceBuffer,
  _ body: (UnsafeBufferPointer<UInt8>, ByteSpan) -> T
) -> T {
  if message.encoding == .raw {
    return buffer.bytes.withUnsafeBufferPointer { body($0, message.span) }
  }
  let decoded = buffer.decodedBytes(message)
  return decoded.withUnsafeBufferPointer { body($0, ByteSpan(0, decoded.count)) }
}
