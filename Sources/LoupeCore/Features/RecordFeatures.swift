import Foundation

/// Builds the per-record feature matrix that the statistical detectors see.
///
/// Columns, each documented by what it measures:
/// - `length`: log(1 + message bytes).
/// - `tokens`: the number of whitespace-separated tokens in the message.
/// - `level`: the level's severity rank (trace 0 … emergency 8; info when the record has none).
/// - `parameters`: how many variables the record's template has.
/// - `template_rarity`: −log₂ of the template's share of all records (rare templates score high).
/// - `template_gap_seconds`: log(1 + seconds since the previous record of the same template);
///   `template_gap_records` instead (records since it) when the input has no timestamps. A
///   template's first occurrence gets the template's median gap (the input's median for a
///   template seen once), so that the start of a file is not unusual in itself.
/// - `parameter_deviation`: log(1 + how far, beyond 3 spreads, the record's most unusual numeric
///   template parameter is from the same parameter of the same template; see
///   ``ParameterDeviation``).
/// - `num:NAME`: each numeric field (CSV numeric columns; access-log `status`, `bytes`,
///   `response_time`; numbers present in most JSON/logfmt records), sign-preserving log(1 + |x|)
///   when the field spans more than three orders of magnitude, else the value; a missing value
///   takes the column's median.
/// - For access logs: `status_class` (status / 100), `uri_length`, `suspicious_uri` (1 when the
///   URI holds an attack marker, see ``RuleCatalog``), `suspicious_agent` (1 for scanner agents),
///   `method_rarity` (−log₂ of the request method's share), `bytes_z` (robust z-score of
///   log(1 + bytes) among the responses for the same path, 0 for paths seen under 5 times).
public enum RecordFeatures {
  /// Numeric fields used as features when present in at least this share of records.
  static let numericFieldPresence = 0.5

  /// Numeric fields judged by ``ExtremeValueDetector`` when present in at least this share of
  /// records: structured logs give a measurement only on the messages that report it (a
  /// duration on a request's last line), each judged among the records that have it.
  static let judgedFieldPresence = 0.05

  /// Builds the matrix.
  /// - Parameters:
  ///   - records: the records.
  ///   - buffer: their bytes.
  ///   - templates: the mining result.
  ///   - numericFields: names of fields known to be numeric (from a CSV audit), or `nil` to
  ///     discover them.
  ///   - parameterValues: the templates' parameter values when already read, else `nil`.
  /// - Returns: one row per record.
  static func build(
    _ records: [LogRecord], buffer: SourceBuffer, templates: TemplateMiner.Result,
    numericFields: [String]?, parameterValues: ParameterDeviation.Values? = nil
  ) -> FeatureMatrix {
    let total = max(records.count, 1)
    let fieldNames = numericFields ?? discoverNumericFields(records, buffer)
    let statusName = RequestField.status.name(in: records)
    let uriName = RequestField.uri.name(in: records)
    let agentName = RequestField.userAgent.name(in: records)
    let isAccess = records.prefix(50).contains {
      $0.field(statusName) != nil && $0.field(uriName) != nil
    }
    let timed = records.contains { $0.timestamp != nil }
    var columns = [
      "length", "tokens", "level", "parameters", "template_rarity",
      timed ? "template_gap_seconds" : "template_gap_records", "parameter_deviation",
    ]
    columns += fieldNames.map { "num:" + $0 }
    if isAccess {
      columns += [
        "status_class", "uri_length", "suspicious_uri", "suspicious_agent", "method_rarity",
        "bytes_z",
      ]
    }
    let firstNumeric = 7
    let width = columns.count

    let parameterCounts = templates.tokenPatterns.map { $0.filter { $0 == nil }.count }
    let rarity = templates.templates.map { -log2(Double($0.count) / Double(total)) }
    // What each record says on its own, in chunks on all cores; a missing numeric value is NaN
    // until the column's median is known.
    let chunkCount = min(max(1, records.count / 16_384), Parallel.coreCount * 4)
    let chunks = Parallel.map(chunkCount) { chunk -> [Double] in
      let start = records.count * chunk / chunkCount
      let end = records.count * (chunk + 1) / chunkCount
      var part = [Double](repeating: 0, count: (end - start) * width)
      var numericLookups = fieldNames.map { FieldLookup($0) }
      var statusField = FieldLookup(statusName)
      var uriField = FieldLookup(uriName)
      var agentField = FieldLookup(agentName)
      buffer.bytes.withUnsafeBufferPointer { bytes in
        for row in start..<end {
          let template = templates.assignments[row]
          let base = (row - start) * width
          let message = records[row].message.span
          part[base] = log1p(Double(message.count))
          part[base + 1] = Double(countTokens(bytes, message))
          part[base + 2] = Double((records[row].level ?? .info).rawValue)
          part[base + 3] = Double(parameterCounts[template])
          part[base + 4] = rarity[template]
          for index in fieldNames.indices {
            part[base + firstNumeric + index] =
              numericLookups[index].value(in: records[row]).flatMap { numberValue(bytes, $0) }
              ?? .nan
          }
          if isAccess {
            let offset = base + firstNumeric + fieldNames.count
            let status =
              statusField.value(in: records[row]).flatMap { ByteClass.integer(bytes, $0.span) }
              ?? 0
            part[offset] = Double(status / 100)
            let uri = uriField.value(in: records[row])?.span ?? .empty
            part[offset + 1] = Double(uri.count)
            part[offset + 2] = RuleCatalog.suspiciousURIMarker(bytes, uri) == nil ? 0 : 1
            let agent = agentField.value(in: records[row])?.span ?? .empty
            part[offset + 3] = RuleCatalog.scannerAgent(bytes, agent) == nil ? 0 : 1
          }
        }
      }
      return part
    }
    var values: [Double] = []
    values.reserveCapacity(records.count * width)
    for part in chunks { values += part }
    // The gap since the previous record of the same template runs in input order.
    var lastSeen = [Double?](repeating: nil, count: templates.templates.count)
    var gaps = [Double](repeating: -1, count: records.count)
    var gapsByTemplate = [[Double]](repeating: [], count: templates.templates.count)
    for row in records.indices {
      let template = templates.assignments[row]
      let position = timed ? records[row].timestamp ?? lastSeen[template] ?? 0 : Double(row)
      if let previous = lastSeen[template] {
        let gap = log1p(max(0, position - previous))
        gaps[row] = gap
        gapsByTemplate[template].append(gap)
      }
      lastSeen[template] = position
    }
    let deviations = ParameterDeviation.compute(
      records, buffer: buffer, templates: templates, values: parameterValues)
    for row in 0..<records.count { values[row * width + 6] = log1p(deviations[row]) }
    if isAccess {
      let offset = firstNumeric + fieldNames.count + 4
      let extras = AccessFeatures.compute(records, buffer: buffer)
      for row in 0..<records.count {
        values[row * width + offset] = extras.methodRarity[row]
        values[row * width + offset + 1] = extras.bytesZ[row]
      }
    }
    let medianGaps = gapsByTemplate.map { median($0) }
    let overallMedian = median(gaps.filter { $0 >= 0 }) ?? 0
    for row in 0..<records.count {
      let template = templates.assignments[row]
      values[row * width + 5] = gaps[row] >= 0 ? gaps[row] : medianGaps[template] ?? overallMedian
    }
    var logScaled = Array(repeating: false, count: width)
    for index in fieldNames.indices {
      let column = firstNumeric + index
      var present: [Double] = []
      present.reserveCapacity(records.count)
      for position in stride(from: column, to: values.count, by: width)
      where !values[position].isNaN {
        present.append(values[position])
      }
      present.sort()
      let median = present.isEmpty ? 0 : present[present.count / 2]
      let spread = (present.last ?? 0) - (present.first ?? 0)
      let useLog = spread > 1000
      logScaled[column] = useLog
      for position in stride(from: column, to: values.count, by: width) {
        let value = values[position].isNaN ? median : values[position]
        values[position] = useLog ? signedLog(value) : value
      }
    }
    return FeatureMatrix(
      columns: columns, values: values, rowCount: records.count, logScaled: logScaled)
  }

  static func median(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
  }

  static func signedLog(_ value: Double) -> Double {
    value < 0 ? -log1p(-value) : log1p(value)
  }

  private static func numberValue(_ bytes: UnsafeBufferPointer<UInt8>, _ text: TextRef) -> Double? {
    ByteClass.number(bytes, text.span)
  }

  /// Fields whose values are numbers in at least half of the records (sampled).
  static func discoverNumericFields(
    _ records: [LogRecord], _ buffer: SourceBuffer, presence: Double = numericFieldPresence
  ) -> [String] {
    let sample = records.prefix(2000)
    guard !sample.isEmpty else { return [] }
    var numericCounts: [String: Int] = [:]
    var order: [String] = []
    buffer.bytes.withUnsafeBufferPointer { bytes in
      for record in sample {
        for field in record.fields where field.value.encoding == .raw {
          guard ByteClass.number(bytes, field.value.span) != nil else { continue }
          if numericCounts[field.name] == nil { order.append(field.name) }
          numericCounts[field.name, default: 0] += 1
        }
      }
    }
    return order.filter {
      Double(numericCounts[$0] ?? 0) >= Double(sample.count) * presence
        && !isLabelName($0)
    }.prefix(32).map { $0 }
  }

  /// Whether a numeric field's name says its numbers label something rather than measure it:
  /// ids (``ColumnProfile/isIdentifierName(_:)``, and Windows' `Event ID`: an event's kind by
  /// number), process, user and group ids (`ppid`, `auid`, `egid`…) and the audit log's session,
  /// inode and serial numbers, Cisco's message ids (`mnemonic` 106023), times, priorities, source line numbers (klog's `source_line`,
  /// Python's `lineno`) and ports (an ephemeral client port is a random number), none of whose
  /// values is more unusual than another.
  static func isLabelName(_ name: String) -> Bool {
    // A flattened JSON name is judged by its last part (`source.port`, `log.origin.file.line`).
    let lower = (name.split(separator: ".").last.map(String.init) ?? name).lowercased()
    let excluded: Set<String> = [
      "pid", "tid", "id", "logid", "timestamp", "time", "ts", "priority", "line", "lineno",
      "line_number", "port", "srcport", "dstport", "sport", "dport", "spt", "dpt", "mnemonic",
    ]
    return excluded.contains(lower) || ColumnProfile.isIdentifierName(name)
      || ["_id", " id", "_line", "_port", "lineno", "pid", "uid", "gid"].contains {
        lower.hasSuffix($0)
      } || ["ses", "inode", "serial"].contains(lower)
  }

  private static func countTokens(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Int {
    var count = 0
    var inToken = false
    for index in span.start..<span.end {
      let blank = ByteClass.isBlank(bytes[index])
      if !blank && !inToken { count += 1 }
      inToken = !blank
    }
    return count
  }
}
