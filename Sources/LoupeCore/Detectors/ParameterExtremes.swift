import Foundation

/// Numbers inside messages far above what the same message usually says: "Request served in
/// 9000 ms" where that template's requests take 20–60 ms, a JVM pause of 2.5 s among pauses of
/// a few milliseconds. Logs write most measurements into the text, not into fields, and the
/// forest, which sees them only through one feature among many, cannot isolate a value that no
/// other record comes near; this judges each one as ``ExtremeValueDetector`` judges a field.
///
/// - Values: each template's first variables (``ParameterDeviation``), read as numbers with
///   their units brought to one scale (`2.48s` and `300ms` compare); a variable that is a
///   number in fewer than half of its template's records (ids, names) is not judged, nor a
///   template with fewer than ``ExtremeValueDetector/minimumGroup`` records.
/// - Extreme: at least ``ExtremeValueDetector/fence`` robust spreads above the template's median
///   on a log scale (the values are never negative) or on the values, with the same long-tail
///   rule as for fields. Only high values count: a counter's first values, a port, a pid are
///   far below the median of uniformly drawn numbers and say nothing.
enum ParameterExtremes {
  /// The extreme parameters of the input's records, and how many variables were judged.
  static func judge(_ input: DetectionInput) -> (
    extremes: [(Int, ExtremeValueDetector.Extreme)], judged: Int
  ) {
    let templates = input.templates
    let parameters = input.cache.parameterValues {
      ParameterDeviation.values(input.records, buffer: input.buffer, templates: templates)
    }
    var rowsOf = [[Int]](repeating: [], count: templates.templates.count)
    for (row, template) in templates.assignments.enumerated()
    where templates.templates[template].count >= ExtremeValueDetector.minimumGroup
      && !parameters.positions[template].isEmpty
    {
      rowsOf[template].append(row)
    }
    var extremes: [(Int, ExtremeValueDetector.Extreme)] = []
    var judged = 0
    for (template, rows) in rowsOf.enumerated() where !rows.isEmpty {
      for slot in parameters.positions[template].indices {
        let values = rows.compactMap { row in parameters.value(row, slot).map { (row, $0) } }
        guard values.count >= ExtremeValueDetector.minimumGroup, values.count * 2 >= rows.count
        else { continue }
        let logarithmic = values.allSatisfy { $0.1 >= 0 }
        let members = values.map { ($0.0, logarithmic ? log1p($0.1) : $0.1) }
        guard let found = ExtremeValueDetector.outliers(members, logarithmic: logarithmic) else {
          continue
        }
        judged += 1
        let raw = Dictionary(uniqueKeysWithValues: values)
        for (row, z) in found.found where z > 0 {
          guard let value = raw[row] else { continue }
          let name = context(row, template, position: parameters.positions[template][slot], input)
          extremes.append(
            (
              row,
              ExtremeValueDetector.Extreme(
                z: z, reason: found.scale.describe(name, value, z: z))
            ))
        }
      }
    }
    return (extremes, judged)
  }

  /// The message around the judged value, quoted: the template's words with the record's own
  /// at `position`, at most six before it and two after.
  static func context(_ row: Int, _ template: Int, position: Int, _ input: DetectionInput)
    -> String
  {
    let texts = input.templates.tokenTexts[template].map { String(decoding: $0, as: UTF8.self) }
    var tokenizer = MessageTokenizer()
    let own = withMessageBytes(input.records[row].message, input.buffer) { bytes, span in
      tokenizer.tokenize(bytes, span)
      guard position < tokenizer.tokens.count else { return "<*>" }
      let source = tokenizer.tokens[position].source
      return String(
        decoding: UnsafeBufferPointer(rebasing: bytes[source.start..<source.end]), as: UTF8.self)
    }
    let first = max(0, position - 6)
    let last = min(texts.count, position + 3)
    var words = Array(texts[first..<last])
    if position - first < words.count { words[position - first] = own }
    return "\"" + (first > 0 ? "… " : "") + words.joined(separator: " ")
      + (last < texts.count ? " …" : "") + "\""
  }
}
