/// The shape of a delimited file: its delimiter and where its column names are.
public struct DelimitedDialect: Sendable, Hashable {
  /// Files whose column names come in a `#` directive, among other `#` comment lines.
  public enum Directive: String, Sendable, Hashable {
    /// W3C extended log files (IIS, some proxies and CDNs): `#Fields: date time c-ip …`, cells
    /// separated by spaces.
    case w3c
    /// Zeek (Bro) logs: `#fields␉ts␉uid␉…`, cells separated by tabs.
    case zeek
  }

  /// The field separator: `,`, tab, `;`, `|`, or a space for W3C files.
  public var delimiter: UInt8
  /// Whether the first row names the columns.
  public var hasHeader: Bool
  /// The directive that names the columns, for W3C and Zeek files.
  public var directive: Directive?
  /// The column names when the format gives them and the file has no header row (AWS VPC
  /// flow logs in their default format).
  public var columnNames: [String]?
  /// The format's name when it is a known kind of delimited file (`vpc-flow`).
  public var label: String?
  /// The name given to a last column the header does not name, when rows have one cell more
  /// than the header: Windows Event Viewer's CSV export writes each event's description there,
  /// after `Level,Date and Time,Source,Event ID,Task Category`.
  public var unnamedLastColumn: String?

  /// Creates a dialect.
  public init(
    delimiter: UInt8, hasHeader: Bool = true, directive: Directive? = nil,
    columnNames: [String]? = nil, label: String? = nil, unnamedLastColumn: String? = nil
  ) {
    self.delimiter = delimiter
    self.hasHeader = hasHeader
    self.directive = directive
    self.columnNames = columnNames
    self.label = label
    self.unnamedLastColumn = unnamedLastColumn
  }

  /// The name ``unnamedLastColumn`` gets unless the header already has it.
  static let lastColumnName = "Description"

  /// The format's name in the summary: `w3c`, `zeek`, `vpc-flow`, `tsv` or `csv`.
  public var name: String {
    label ?? directive?.rawValue ?? (delimiter == 0x09 ? "tsv" : "csv")
  }

  /// The dialect of a W3C or Zeek file whose first lines hold its fields directive.
  /// - Parameters:
  ///   - bytes: the buffer.
  ///   - lines: the first lines.
  static func directed(_ bytes: UnsafeBufferPointer<UInt8>, lines: [ByteSpan]) -> DelimitedDialect?
  {
    for line in lines.prefix(20) {
      guard let first = line.isEmpty ? nil : bytes[line.start], first == 0x23 else {
        // Directives come before the data.
        if !line.isEmpty { return nil }
        continue
      }
      if let (directive, _) = fieldsDirective(bytes, line) {
        return DelimitedDialect(delimiter: directive == .w3c ? 0x20 : 0x09, directive: directive)
      }
    }
    return nil
  }

  /// The non-empty pieces of `span` between `separator`s (and a final carriage return).
  static func pieces(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, separator: UInt8)
    -> [ByteSpan]
  {
    var pieces: [ByteSpan] = []
    var start = span.start
    for index in span.start...span.end {
      guard index == span.end || bytes[index] == separator || bytes[index] == 0x0D else {
        continue
      }
      if index > start { pieces.append(ByteSpan(start, index)) }
      start = index + 1
    }
    return pieces
  }

  /// When `line` is a fields directive (`#Fields: a b c` or `#fields␉a␉b`), its kind and the
  /// span of the names after it.
  static func fieldsDirective(_ bytes: UnsafeBufferPointer<UInt8>, _ line: ByteSpan) -> (
    Directive, ByteSpan
  )? {
    let word = Array("#fields".utf8)
    guard line.count > word.count + 1 else { return nil }
    for (offset, byte) in word.enumerated() where bytes[line.start + offset] | 0x20 != byte | 0x20 {
      return nil
    }
    let after = line.start + word.count
    switch bytes[after] {
    case 0x3A: return (.w3c, ByteSpan(after + 1, line.end))
    case 0x09: return (.zeek, ByteSpan(after + 1, line.end))
    default: return nil
    }
  }

  /// Whether `line` is the `#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord` line
  /// Windows PowerShell's `Export-Csv` writes above the header, which is no row.
  static func isTypeInformation(_ bytes: UnsafeBufferPointer<UInt8>, _ line: ByteSpan) -> Bool {
    var cursor = ByteCursor(bytes, line)
    return cursor.consume("#TYPE ") && !cursor.atEnd
  }

  /// The delimiters tried, in order of preference on ties.
  static let candidates: [UInt8] = [0x2C, 0x09, 0x3B, 0x7C]

  /// Detects a delimited file with a header from its first lines.
  ///
  /// A dialect is accepted when one delimiter splits at least 60% of the sample rows into as
  /// many fields (≥ 2) as the first row, and the first row looks like a header (distinct names that
  /// are neither numbers nor timestamps). When 60% of the rows have exactly one field more, the
  /// last column is unnamed (``unnamedLastColumn``). PowerShell's `#TYPE` line above the header
  /// is passed over.
  /// - Parameters:
  ///   - bytes: the buffer.
  ///   - lines: the first lines (up to a few hundred).
  ///   - context: for recognising timestamps in the header.
  /// - Returns: the dialect, or `nil` when the sample is not a delimited file with a header.
  static func detect(
    _ bytes: UnsafeBufferPointer<UInt8>, lines: [ByteSpan], context: ParseContext
  ) -> DelimitedDialect? {
    guard let header = lines.first(where: { !$0.isEmpty && !isTypeInformation(bytes, $0) }),
      lines.count >= 2
    else { return nil }
    let sampleEnd = lines.last?.end ?? header.end
    var best: (delimiter: UInt8, columns: Int, unnamedLast: String?)?
    for delimiter in candidates {
      let headerCells = DelimitedRowScanner.cells(bytes, header, delimiter)
      guard headerCells.count >= 2, isHeader(bytes, headerCells, context) else { continue }
      // Rows are read quote-aware, so a quoted cell may span lines.
      var position = header.end
      var rows = 0
      var consistent = 0
      var oneMore = 0
      var cells: [TextRef] = []
      while position < sampleEnd, rows < 200 {
        while position < sampleEnd, bytes[position] == 0x0A || bytes[position] == 0x0D {
          position += 1
        }
        guard position < sampleEnd else { break }
        cells.removeAll(keepingCapacity: true)
        _ = DelimitedRowScanner.scanRow(
          bytes, from: &position, end: sampleEnd, delimiter: delimiter, into: &cells)
        rows += 1
        if cells.count == headerCells.count { consistent += 1 }
        if cells.count == headerCells.count + 1 { oneMore += 1 }
      }
      var unnamedLast: String?
      if rows > 0, consistent * 10 < rows * 6 {
        guard oneMore * 10 >= rows * 6 else { continue }
        let names = Set(
          headerCells.map { String(decoding: bytes[$0.span.start..<$0.span.end], as: UTF8.self) })
        unnamedLast =
          names.contains(lastColumnName) ? "column \(headerCells.count + 1)" : lastColumnName
      }
      guard rows > 0 else { continue }
      if best == nil || headerCells.count > best?.columns ?? 0 {
        best = (delimiter, headerCells.count, unnamedLast)
      }
    }
    return best.map { DelimitedDialect(delimiter: $0.delimiter, unnamedLastColumn: $0.unnamedLast) }
  }

  private static func isHeader(
    _ bytes: UnsafeBufferPointer<UInt8>, _ cells: [TextRef], _ context: ParseContext
  ) -> Bool {
    var names = Set<[UInt8]>()
    for cell in cells {
      let span = cell.span
      guard !span.isEmpty, span.count <= 64 else { return false }
      guard ByteClass.number(bytes, span) == nil, context.timestamps.parse(bytes, span) == nil
      else {
        return false
      }
      var letters = 0
      for index in span.start..<span.end {
        let byte = bytes[index]
        if ByteClass.isLetter(byte) { letters += 1 }
        guard byte >= 0x20, byte != 0x22, byte != 0x3D, byte != 0x5B, byte != 0x7B else {
          return false
        }
      }
      guard letters > 0 else { return false }
      guard names.insert(Array(bytes[span.start..<span.end])).inserted else { return false }
    }
    return true
  }
}

/// Splits delimited rows into cells, honouring double quotes (RFC 4180).
enum DelimitedRowScanner {
  /// The cells of one row that lies on one line (a quoted newline is not followed).
  static func cells(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, _ delimiter: UInt8)
    -> [TextRef]
  {
    var cells: [TextRef] = []
    var position = span.start
    _ = scanRow(bytes, from: &position, end: span.end, delimiter: delimiter, into: &cells)
    return cells
  }

  /// Reads one row starting at `position`, possibly over several lines when a quoted cell
  /// holds a newline, and moves `position` past the row's terminator.
  /// - Returns: the number of newlines inside quoted cells (extra physical lines).
  static func scanRow(
    _ bytes: UnsafeBufferPointer<UInt8>, from position: inout Int, end: Int, delimiter: UInt8,
    into cells: inout [TextRef]
  ) -> Int {
    var extraLines = 0
    var index = position
    while true {
      if index < end, bytes[index] == 0x22 {
        // A quoted cell.
        let start = index + 1
        var cursor = start
        var escaped = false
        var closed = false
        while cursor < end {
          let byte = bytes[cursor]
          if byte == 0x22 {
            if cursor + 1 < end, bytes[cursor + 1] == 0x22 {
              escaped = true
              cursor += 2
              continue
            }
            closed = true
            break
          }
          if byte == 0x0A { extraLines += 1 }
          cursor += 1
        }
        if !closed {
          // An unclosed quote: take the rest of the line as the cell.
          let lineEnd = nextLineEnd(bytes, from: start, end: end)
          cells.append(TextRef(ByteSpan(start, trimCR(bytes, start, lineEnd))))
          position = min(lineEnd + 1, end)
          return 0
        }
        cells.append(TextRef(ByteSpan(start, cursor), escaped ? .csvQuoted : .raw))
        index = cursor + 1
        // Skip anything between the closing quote and the delimiter.
        while index < end, bytes[index] != delimiter, bytes[index] != 0x0A { index += 1 }
      } else {
        let start = index
        while index < end, bytes[index] != delimiter, bytes[index] != 0x0A { index += 1 }
        cells.append(TextRef(ByteSpan(start, trimCR(bytes, start, index))))
      }
      if index < end, bytes[index] == delimiter {
        index += 1
        continue
      }
      position = min(index + 1, end)
      if index >= end { position = end }
      return extraLines
    }
  }

  private static func nextLineEnd(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, end: Int) -> Int {
    var index = from
    while index < end, bytes[index] != 0x0A { index += 1 }
    return index
  }

  private static func trimCR(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
    end > start && bytes[end - 1] == 0x0D ? end - 1 : end
  }
}
