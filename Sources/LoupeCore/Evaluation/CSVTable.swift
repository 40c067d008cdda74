import Foundation

/// A small reader for the CSV files evaluation reads (labels, predictions): the header's
/// column names, then rows of cells, decoded on demand.
struct CSVTable {
  let path: String
  let bytes: [UInt8]
  let columns: [String]
  /// The cells of each data row, and the row's first physical line.
  let rows: [(line: Int, cells: [TextRef])]

  /// A problem reading a table, naming the file.
  struct ReadError: Error, CustomStringConvertible {
    var description: String
  }

  init(path: String) throws(ReadError) {
    self.path = path
    let buffer: SourceBuffer
    do {
      buffer = try InputReader.read(.file(path)).0
    } catch {
      throw ReadError(description: error.description)
    }
    bytes = buffer.bytes
    var rows: [(Int, [TextRef])] = []
    var header: [String] = []
    bytes.withUnsafeBufferPointer { pointer in
      var position = 0
      var line = 1
      var first = true
      while position < pointer.count {
        var cells: [TextRef] = []
        let start = position
        let extra = DelimitedRowScanner.scanRow(
          pointer, from: &position, end: pointer.count, delimiter: 0x2C, into: &cells)
        defer { line += 1 + extra }
        if position - start <= 1 && (cells.count <= 1 && cells.first?.span.isEmpty ?? true) {
          continue
        }
        if first {
          header = cells.map { buffer.string($0).trimmingSpaces() }
          first = false
        } else {
          rows.append((line, cells))
        }
      }
    }
    columns = header
    self.rows = rows
  }

  /// The index of the first column whose lower-cased name is one of `names`.
  func column(_ names: [String]) -> Int? {
    let lower = columns.map { $0.lowercased() }
    for name in names { if let index = lower.firstIndex(of: name) { return index } }
    return nil
  }

  /// A cell's text, or `""` when the row is short.
  func text(_ row: Int, _ column: Int) -> String {
    let cells = rows[row].cells
    guard column < cells.count else { return "" }
    let span = cells[column].span
    guard span.end <= bytes.count else { return "" }
    var decoded = Array(bytes[span.start..<span.end])
    if cells[column].encoding == .csvQuoted { decoded = CSVText.unquote(bytes, span) }
    return String(decoding: decoded, as: UTF8.self)
  }

  /// A cell as an integer.
  func integer(_ row: Int, _ column: Int) -> Int? {
    let cells = rows[row].cells
    guard column < cells.count else { return nil }
    return bytes.withUnsafeBufferPointer { ByteClass.integer($0, cells[column].span) }
  }

  /// A cell as a number.
  func number(_ row: Int, _ column: Int) -> Double? {
    let cells = rows[row].cells
    guard column < cells.count else { return nil }
    return bytes.withUnsafeBufferPointer { ByteClass.number($0, cells[column].span) }
  }
}
