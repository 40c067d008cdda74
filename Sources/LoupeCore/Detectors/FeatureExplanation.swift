import Foundation

/// Per-column medians and spreads, to say in words why a row is unusual.
struct ColumnStatistics {
  var medians: [Double]
  var spreads: [Double]

  /// Statistics from at most 65,536 rows, taken at an even stride (deterministic).
  init(_ matrix: FeatureMatrix) {
    medians = []
    spreads = []
    let stride = max(1, matrix.rowCount / 65_536)
    for column in 0..<matrix.columnCount {
      var values = Swift.stride(from: 0, to: matrix.rowCount, by: stride).map { matrix[$0, column] }
      values.sort()
      let median = values.isEmpty ? 0 : values[values.count / 2]
      var deviations = values.map { abs($0 - median) }
      deviations.sort()
      let mad = deviations.isEmpty ? 0 : deviations[deviations.count / 2]
      let mean = values.reduce(0, +) / Double(max(values.count, 1))
      let meanDeviation = values.reduce(0) { $0 + abs($1 - mean) } / Double(max(values.count, 1))
      medians.append(median)
      spreads.append(mad > 0 ? mad * 1.4826 : max(meanDeviation, 1e-9))
    }
  }

  /// The two features on which `row` deviates most, in words.
  func explain(row: Int, in matrix: FeatureMatrix, records: Int) -> String {
    var deviations: [(column: Int, z: Double)] = []
    for column in 0..<matrix.columnCount {
      let z = abs(matrix[row, column] - medians[column]) / spreads[column]
      if z > 1.5 { deviations.append((column, z)) }
    }
    deviations.sort { $0.z > $1.z || ($0.z == $1.z && $0.column < $1.column) }
    if deviations.isEmpty { return "an unusual combination of features" }
    return deviations.prefix(2).map {
      describe($0.column, row: row, matrix: matrix, records: records)
    }
    .joined(separator: "; ")
  }

  private func describe(_ column: Int, row: Int, matrix: FeatureMatrix, records: Int) -> String {
    let name = matrix.columns[column]
    let value = matrix[row, column]
    let typical = medians[column]
    func number(_ value: Double) -> String {
      value == value.rounded() && abs(value) < 1e15
        ? String(Int(value)) : String(format: "%.3g", value)
    }
    switch name {
    case "length":
      return
        "message length \(number(expm1(value).rounded())) bytes (typical \(number(expm1(typical).rounded())))"
    case "tokens":
      return "\(number(value)) words (typical \(number(typical)))"
    case "level":
      let level = LogLevel(rawValue: Int(value))?.name ?? number(value)
      return "level \(level)"
    case "parameters":
      return "\(number(value)) variable parts (typical \(number(typical)))"
    case "template_rarity":
      let count = number((Double(records) / pow(2, value)).rounded())
      let usual = number((Double(records) / pow(2, typical)).rounded())
      // Rare is under 1% of the records; a template merely less common than most is said so.
      if value < typical {
        return "a common message template (about \(count) of \(records) records)"
      }
      return value > -log2(0.01)
        ? "rare message template (about \(count) of \(records) records)"
        : "a less common message template (about \(count) of \(records) records; typical \(usual))"
    case "template_gap_seconds", "template_gap_records":
      let unit = name.hasSuffix("seconds") ? " s" : " records"
      return value > typical
        ? "long silence before this event (\(number(expm1(value).rounded()))\(unit) since the last one, typical \(number(expm1(typical).rounded()))\(unit))"
        : "repeats faster than usual (\(number(expm1(value).rounded()))\(unit) since the last one, typical \(number(expm1(typical).rounded()))\(unit))"
    case "parameter_deviation":
      return
        "a value far from this message's usual ones (\(number((expm1(value) + ParameterDeviation.ordinary).rounded())) spreads from the median)"
    case "method_rarity":
      return "an uncommon request method"
    case "bytes_z":
      return value > 0
        ? "response much larger than usual for this path"
        : "response much smaller than usual for this path"
    case "status_class":
      return "HTTP status class \(number(value))xx"
    case "uri_length":
      return "URI length \(number(value)) (typical \(number(typical)))"
    case "suspicious_uri":
      return "suspicious URI"
    case "suspicious_agent":
      return "scanner user agent"
    default:
      let field = name.hasPrefix("num:") ? String(name.dropFirst(4)) : name
      func raw(_ scaled: Double) -> Double {
        guard matrix.logScaled[column] else { return scaled }
        return (scaled < 0 ? -expm1(-scaled) : expm1(scaled)).rounded()
      }
      return "unusual \(field) \(number(raw(value))) (typical \(number(raw(typical))))"
    }
  }
}
