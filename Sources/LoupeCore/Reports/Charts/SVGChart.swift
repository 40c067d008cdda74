import Foundation

/// Small SVG charts drawn in Swift: horizontal bars, a timeline with findings over it, and a
/// heatmap with a colour legend. Every label is escaped, long labels are cut with an ellipsis,
/// and axis labels are thinned so they never overlap.
public enum SVGChart {
  /// A sequential colour for `t` in 0…1, from pale yellow to deep red.
  public static func heat(_ t: Double) -> String {
    let stops: [(Double, Double, Double)] = [
      (255, 247, 236), (253, 212, 158), (252, 141, 89), (215, 48, 31), (127, 0, 0),
    ]
    let clamped = max(0, min(1, t)) * Double(stops.count - 1)
    let index = min(Int(clamped), stops.count - 2)
    let fraction = clamped - Double(index)
    func mix(_ a: Double, _ b: Double) -> Int { Int((a + (b - a) * fraction).rounded()) }
    let (r0, g0, b0) = stops[index]
    let (r1, g1, b1) = stops[index + 1]
    return String(format: "#%02x%02x%02x", mix(r0, r1), mix(g0, g1), mix(b0, b1))
  }

  /// Severity colours.
  public static let severityColors = [
    "critical": "#b2182b", "high": "#ef6548", "medium": "#fdae61", "low": "#74add1",
  ]

  /// `text` cut to `limit` characters with an ellipsis, escaped.
  static func label(_ text: String, _ limit: Int) -> String {
    let cut = text.count > limit ? String(text.prefix(max(1, limit - 1))) + "…" : text
    return TextEscaping.html(cut)
  }

  /// Round tick values from 0 to the first one at or above `maximum` (1, 2 or 5 times a power
  /// of ten apart).
  public static func ticks(maximum: Double, count: Int = 5) -> [Double] {
    guard maximum > 0 else { return [0] }
    let raw = maximum / Double(max(count, 1))
    let power = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? raw
    var ticks: [Double] = [0]
    while (ticks.last ?? 0) < maximum - step * 0.001 { ticks.append(Double(ticks.count) * step) }
    return ticks
  }

  static func number(_ value: Double) -> String {
    if value >= 1_000_000 { return String(format: "%.1fM", value / 1_000_000) }
    if value >= 10_000 { return String(format: "%.0fk", value / 1000) }
    return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
  }

  /// Horizontal bars: one row per item, the value at the bar's end.
  public static func bars(
    title: String, items: [(label: String, value: Double, color: String?)], width: Int = 520
  ) -> String {
    let rowHeight = 22
    // Wide charts give their labels more room.
    let labelWidth = width >= 900 ? 380 : 200
    let labelLimit = width >= 900 ? 54 : 28
    let height = 34 + max(1, items.count) * rowHeight + 10
    let maximum = items.map(\.value).max() ?? 0
    var svg = header(width: width, height: height, title: title)
    if items.isEmpty {
      svg += "<text x=\"10\" y=\"52\" class=\"empty\">nothing to show</text>"
    }
    for (index, item) in items.enumerated() {
      let y = 34 + index * rowHeight
      let span = Double(width - labelWidth - 60)
      let length = maximum > 0 ? max(1, item.value / maximum * span) : 1
      svg += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 15)\" text-anchor=\"end\" class=\"label\">"
      svg +=
        "<title>\(TextEscaping.html(item.label))</title>\(label(item.label, labelLimit))</text>"
      svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(String(format: "%.1f", length))\""
      svg += " height=\"\(rowHeight - 6)\" fill=\"\(item.color ?? "#4575b4")\"/>"
      svg += "<text x=\"\(labelWidth + Int(length) + 5)\" y=\"\(y + 15)\" class=\"value\">"
      svg += "\(number(item.value))</text>"
    }
    return svg + "</svg>"
  }

  /// Volume over time as bars per bucket, with the buckets' findings drawn over them in red.
  public static func timeline(
    title: String, buckets: [(start: Double, records: Int, findings: Int)], bucketSeconds: Double,
    marks: [(start: Double, end: Double, label: String)] = [], width: Int = 1040
  ) -> String {
    let height = 240
    let left = 56
    let bottom = height - 40
    let top = 34
    var svg = header(width: width, height: height, title: title)
    guard !buckets.isEmpty else {
      return svg + "<text x=\"10\" y=\"60\" class=\"empty\">no timestamps</text></svg>"
    }
    let maximum = Double(buckets.map(\.records).max() ?? 1)
    let ticks = Self.ticks(maximum: maximum, count: 4)
    let scale = Double(bottom - top) / max(ticks.last ?? maximum, maximum, 1)
    let plotWidth = Double(width - left - 16)
    let barWidth = plotWidth / Double(buckets.count)
    for tick in ticks {
      let y = Double(bottom) - tick * scale
      svg +=
        "<line x1=\"\(left)\" x2=\"\(width - 16)\" y1=\"\(f(y))\" y2=\"\(f(y))\" class=\"grid\"/>"
      svg +=
        "<text x=\"\(left - 6)\" y=\"\(f(y + 4))\" text-anchor=\"end\" class=\"axis\">\(number(tick))</text>"
    }
    // Spans of time marked behind the bars (floods, changes of rate), at least 3 px wide.
    let origin = buckets[0].start
    for mark in marks {
      let start = Double(left) + (mark.start - origin) / bucketSeconds * barWidth
      let end = Double(left) + (mark.end - origin) / bucketSeconds * barWidth
      let x = min(max(start, Double(left)), Double(width - 16) - 3)
      let w = max(3, min(end, Double(width - 16)) - x)
      svg +=
        "<rect x=\"\(f(x))\" y=\"\(top)\" width=\"\(f(w))\" height=\"\(bottom - top)\" class=\"mark\">"
      svg += "<title>\(TextEscaping.html(mark.label))</title></rect>"
    }
    for (index, bucket) in buckets.enumerated() {
      let x = Double(left) + Double(index) * barWidth
      let h = Double(bucket.records) * scale
      svg +=
        "<rect x=\"\(f(x))\" y=\"\(f(Double(bottom) - h))\" width=\"\(f(max(barWidth - 1, 0.5)))\""
      svg +=
        " height=\"\(f(h))\" class=\"volume\"><title>\(TimestampFormatter.iso8601(bucket.start)): "
      svg += "\(bucket.records) records, \(bucket.findings) findings</title></rect>"
      if bucket.findings > 0 {
        let fh = max(2, Double(bucket.findings) * scale)
        svg +=
          "<rect x=\"\(f(x))\" y=\"\(f(Double(bottom) - fh))\" width=\"\(f(max(barWidth - 1, 0.5)))\""
        svg += " height=\"\(f(fh))\" class=\"findings\"/>"
      }
    }
    // Time labels: as many as fit 160 px apart, kept inside the plot.
    let labels = max(1, min(buckets.count, Int(plotWidth / 160)))
    for step in 0..<labels {
      let index = step * (buckets.count - 1) / max(labels - 1, 1)
      let x = min(
        max(Double(left) + (Double(index) + 0.5) * barWidth, Double(left) + 50),
        Double(width) - 66)
      let text = TimestampFormatter.iso8601(buckets[index].start).replacingOccurrences(
        of: "T", with: " "
      )
      .prefix(bucketSeconds >= 86_400 ? 10 : 16)
      svg +=
        "<text x=\"\(f(x))\" y=\"\(bottom + 16)\" text-anchor=\"middle\" class=\"axis\">\(TextEscaping.html(String(text)))</text>"
    }
    svg += "<text x=\"\(width - 16)\" y=\"\(height - 6)\" text-anchor=\"end\" class=\"axis\">"
    svg += "records per \(Int(bucketSeconds)) s; red: findings"
    svg += marks.isEmpty ? "</text>" : "; shaded: floods and changes of rate</text>"
    return svg + "</svg>"
  }

  /// A heatmap: rows × columns, colour = count, with row and column labels and a legend.
  public static func heatmap(
    title: String, rows: [String], columns: [String], counts: [[Int]], width: Int = 1040
  ) -> String {
    let left = 190
    let top = 120
    let cell = max(10, min(36, (width - left - 20) / max(columns.count, 1)))
    let height = top + max(1, rows.count) * 18 + 60
    var svg = header(width: width, height: height, title: title)
    guard !rows.isEmpty, !columns.isEmpty else {
      return svg + "<text x=\"10\" y=\"60\" class=\"empty\">nothing to show</text></svg>"
    }
    let maximum = Double(counts.flatMap { $0 }.max() ?? 0)
    for (index, column) in columns.enumerated() {
      let x = left + index * cell + cell / 2
      svg += "<text transform=\"translate(\(x),\(top - 6)) rotate(-60)\" class=\"axis\">"
      svg += "<title>\(TextEscaping.html(column))</title>\(label(column, 16))</text>"
    }
    for (rowIndex, row) in rows.enumerated() {
      let y = top + rowIndex * 18
      svg += "<text x=\"\(left - 6)\" y=\"\(y + 13)\" text-anchor=\"end\" class=\"label\">"
      svg += "<title>\(TextEscaping.html(row))</title>\(label(row, 26))</text>"
      for (columnIndex, column) in columns.enumerated() {
        let value = counts[rowIndex][columnIndex]
        let color = value == 0 ? "#f4f4f4" : heat(maximum > 0 ? Double(value) / maximum : 0)
        svg +=
          "<rect x=\"\(left + columnIndex * cell)\" y=\"\(y)\" width=\"\(cell - 1)\" height=\"17\""
        svg += " fill=\"\(color)\" class=\"cell\"><title>\(TextEscaping.html(row)) × "
        svg += "\(TextEscaping.html(column)): \(value)</title></rect>"
      }
    }
    // The legend: five steps from 0 to the maximum.
    let legendY = top + rows.count * 18 + 20
    svg += "<text x=\"\(left)\" y=\"\(legendY + 12)\" class=\"axis\">0</text>"
    for step in 0..<5 {
      svg += "<rect x=\"\(left + 14 + step * 24)\" y=\"\(legendY)\" width=\"24\" height=\"14\""
      svg += " fill=\"\(heat(Double(step + 1) / 5))\"/>"
    }
    svg += "<text x=\"\(left + 14 + 5 * 24 + 6)\" y=\"\(legendY + 12)\" class=\"axis\">"
    svg += "\(number(maximum)) findings</text>"
    return svg + "</svg>"
  }

  static func header(width: Int, height: Int, title: String) -> String {
    "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(width) \(height)\""
      + " width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"\(TextEscaping.html(title))\">"
      + "<style>.label,.value,.axis,.empty{font:11px sans-serif;fill:#333}.title{font:bold 13px sans-serif;fill:#222}"
      + ".grid{stroke:#e5e5e5}.volume{fill:#9ecae1}.findings{fill:#d7301f}.mark{fill:#fdae6b;fill-opacity:.35}</style>"
      + "<text x=\"8\" y=\"20\" class=\"title\">\(TextEscaping.html(title))</text>"
  }

  private static func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
