/// The data audit of a delimited file: shape, column types, nulls, duplicates, constants.
public struct DataAudit: Sendable, Codable, Hashable {
  /// Data rows (the header excluded).
  public var rows: Int
  /// Columns in the header.
  public var columns: Int
  /// The delimiter, as text (`,`, `\t`, `;`, `|`).
  public var delimiter: String
  /// One profile per column, in header order.
  public var columnProfiles: [ColumnProfile]
  /// Rows identical to an earlier row.
  public var duplicateRows: Int
  /// Names of the columns whose non-null cells all hold one value.
  public var constantColumns: [String]
  /// Rows whose number of cells differs from the header's.
  public var raggedRows: Int
  /// The column read as the timestamp, if any.
  public var timestampColumn: String?
  /// Columns that identify rows or entities.
  public var identifierColumns: [String]
  /// Columns that feed the detectors as numeric features.
  public var numericColumns: [String]
}

/// Reads a delimited file with a header into records, profiling its columns on the way.
///
/// Each row is a record whose fields are the columns. The timestamp, level, component and
/// message come from columns with the usual names when present (`timestamp`/`time`/`date`,
/// `level`/`severity`, one in words before one in numbers, `component`/`service`/`basename`/
/// `process`/`logger`/`ProviderName`, `message`/`msg`);
/// when there is no message column, the message is made of the category and text columns as
/// `name=value` pairs, so that templates group rows by their categorical content.
public enum DelimitedReader {
  /// The records, the buffer they refer to, the audit and the problems found.
  public struct Result: Sendable {
    /// The input's bytes followed by the synthesised messages the records refer to.
    public var buffer: SourceBuffer
    /// One record per data row.
    public var records: [LogRecord]
    /// The audit for the summary.
    public var audit: DataAudit
    /// Problems (ragged rows), each naming its line.
    public var problems: [InputProblem]
  }

  /// Reads `source` as a delimited file in `dialect`.
  /// - Parameters:
  ///   - source: the input.
  ///   - dialect: the delimiter and header flag.
  ///   - context: for timestamps.
  /// - Returns: records, audit and problems.
  public static func read(_ source: SourceBuffer, dialect: DelimitedDialect, context: ParseContext)
    -> Result
  {
    var rows: [(line: Int, lines: Int, span: ByteSpan, cells: [TextRef])] = []
    var header: [String] = []
    var problems: [InputProblem] = []
    var raggedRows = 0
    var duplicateRows = 0
    var accumulators: [ColumnAccumulator] = []
    source.bytes.withUnsafeBufferPointer { bytes in
      var position = 0
      var line = 1
      let end = bytes.count
      var first = true
      if let names = dialect.columnNames {
        // The format names the columns; every row is data.
        header = names
        accumulators = header.map { ColumnAccumulator(name: $0) }
        first = false
      }
      var seenRows = Set<UInt64>()
      while position < end {
        let rowStart = position
        var cells: [TextRef] = []
        cells.reserveCapacity(max(header.count, 4))
        let extra = DelimitedRowScanner.scanRow(
          bytes, from: &position, end: end, delimiter: dialect.delimiter, into: &cells)
        var rowEnd = position
        while rowEnd > rowStart, bytes[rowEnd - 1] == 0x0A || bytes[rowEnd - 1] == 0x0D {
          rowEnd -= 1
        }
        let span = ByteSpan(rowStart, rowEnd)
        defer { line += 1 + extra }
        if span.isEmpty { continue }
        if let directive = dialect.directive {
          guard bytes[span.start] != 0x23 else {
            // A comment; the first fields directive names the columns.
            if first, let (_, names) = DelimitedDialect.fieldsDirective(bytes, span) {
              first = false
              let separator: UInt8 = directive == .w3c ? 0x20 : 0x09
              header = DelimitedDialect.pieces(bytes, names, separator: separator).map {
                source.string($0)
              }
              accumulators = header.map { ColumnAccumulator(name: $0) }
            }
            continue
          }
          if first { continue }
        }
        if first {
          if DelimitedDialect.isTypeInformation(bytes, span) { continue }
          first = false
          header = cells.map { source.string($0).trimmingSpaces() }
          if let name = dialect.unnamedLastColumn { header.append(name) }
          accumulators = header.map { ColumnAccumulator(name: $0) }
          continue
        }
        if cells.count != header.count {
          raggedRows += 1
          if raggedRows <= 5 {
            problems.append(
              InputProblem(
                file: source.name, line: line,
                message: "row has \(cells.count) cells where the header has \(header.count); "
                  + (cells.count < header.count
                    ? "missing cells read as empty" : "extra cells ignored")))
          }
          if cells.count > header.count { cells.removeLast(cells.count - header.count) }
          while cells.count < header.count { cells.append(TextRef(ByteSpan(rowEnd, rowEnd))) }
        }
        if !seenRows.insert(Hashing.fnv1a(bytes, span)).inserted { duplicateRows += 1 }
        for index in cells.indices { accumulators[index].add(bytes, cells[index], context) }
        rows.append((line, 1 + extra, span, cells))
      }
    }
    if raggedRows > 5 {
      problems.append(
        InputProblem(
          file: source.name, message: "\(raggedRows) rows in all have the wrong number of cells"))
    }
    let profiles = accumulators.map { $0.profile() }
    var roles = ColumnRoles(header: header, profiles: profiles)
    if dialect.label == DelimitedDialect.vpcFlowLabel, roles.timestamp == nil {
      // A flow's time is its capture window's start, in epoch seconds.
      roles.timestamp = header.firstIndex(of: "start")
    }

    // Build records, appending synthesised messages after the input's bytes.
    var bytes = source.bytes
    var records: [LogRecord] = []
    records.reserveCapacity(rows.count)
    for row in rows {
      var record = LogRecord(line: row.line, span: row.span)
      record.lineCount = row.lines
      var fields: [RecordField] = []
      fields.reserveCapacity(header.count)
      for (index, cell) in row.cells.enumerated() {
        fields.append(RecordField(header[index], cell))
      }
      record.fields = fields
      source.bytes.withUnsafeBufferPointer { input in
        if let column = roles.timestamp {
          record.timestamp = Self.timestamp(
            row.cells[column].span, timeOfDay: roles.timeOfDay.map { row.cells[$0].span }, input,
            context)
        }
        if let column = roles.level {
          let span = row.cells[column].span
          record.level = LogLevel.parse(UnsafeBufferPointer(rebasing: input[span.start..<span.end]))
        } else if dialect.directive != nil, let column = roles.status,
          let status = ByteClass.integer(input, row.cells[column].span),
          (100..<600).contains(status)
        {
          // An access log's record is judged by its status, as the access-log parser's are.
          record.level = LogLevel.ofHTTPStatus(status)
        }
      }
      if let column = roles.component { record.component = row.cells[column] }
      if let column = roles.message {
        record.message = row.cells[column]
      } else {
        let start = bytes.count
        source.bytes.withUnsafeBufferPointer { input in
          for column in roles.messageColumns {
            FieldMessage.appendPair(
              header[column], row.cells[column], from: source, input, to: &bytes, start: start)
          }
        }
        record.message =
          bytes.count > start ? TextRef(ByteSpan(start, bytes.count)) : TextRef(row.span)
      }
      records.append(record)
    }
    let audit = DataAudit(
      rows: rows.count, columns: header.count,
      delimiter: dialect.delimiter == 0x09 ? "\\t" : String(UnicodeScalar(dialect.delimiter)),
      columnProfiles: profiles, duplicateRows: duplicateRows,
      constantColumns: profiles.filter(\.isConstant).map(\.name), raggedRows: raggedRows,
      timestampColumn: roles.timestamp.map { header[$0] },
      identifierColumns: profiles.filter(\.isIdentifier).map(\.name),
      numericColumns: profiles.filter(\.isNumericFeature).map(\.name))
    return Result(
      buffer: SourceBuffer(
        name: source.name, bytes: bytes, wasCompressed: source.wasCompressed,
        inputByteCount: source.inputByteCount),
      records: records, audit: audit, problems: problems)
  }
}

extension DelimitedReader {
  /// A row's instant: its timestamp cell as text, or as epoch seconds or milliseconds with a
  /// fraction (Zeek's `ts`); a date alone is made precise by a time-of-day cell (W3C's separate
  /// `date` and `time`).
  static func timestamp(
    _ span: ByteSpan, timeOfDay: ByteSpan?, _ bytes: UnsafeBufferPointer<UInt8>,
    _ context: ParseContext
  ) -> Double? {
    if let parsed = context.timestamps.parse(bytes, span) {
      guard let timeOfDay, !JSONLinesFormat.hasTimeOfDay(bytes, span),
        let seconds = JSONLinesFormat.secondsOfDay(bytes, timeOfDay)
      else { return parsed }
      return parsed + seconds
    }
    guard let number = ByteClass.number(bytes, span) else { return nil }
    if (1e8..<1e10).contains(number) { return number }
    if (1e11..<1e13).contains(number) { return number / 1000 }
    return nil
  }
}

/// Which columns play the record's roles.
struct ColumnRoles {
  var timestamp: Int?
  /// A time-of-day column beside a date column (W3C's `date` and `time`).
  var timeOfDay: Int?
  /// An HTTP status column (``RequestField/status``), which gives the level of a W3C or Zeek
  /// file's records (requests by definition) when no column does. A CSV file's status column
  /// does not: there it is one measurement among others.
  var status: Int?
  var level: Int?
  var component: Int?
  var message: Int?
  var messageColumns: [Int] = []

  init(header: [String], profiles: [ColumnProfile]) {
    let lower = header.map { $0.lowercased() }
    func first(_ names: [String], where condition: (Int) -> Bool = { _ in true }) -> Int? {
      for name in names {
        if let index = lower.firstIndex(of: name), condition(index) { return index }
      }
      return nil
    }
    timestamp =
      first(["timestamp", "time", "datetime", "date", "@timestamp", "ts", "eventtime"]) {
        [.timestamp, .integer, .float].contains(profiles[$0].type)
      } ?? profiles.firstIndex { $0.type == .timestamp }
    if let timestamp, profiles[timestamp].type == .timestamp {
      timeOfDay = first(["time"]) { $0 != timestamp && profiles[$0].type != .timestamp }
    }
    status = RequestField.status.names.lazy.compactMap { header.firstIndex(of: $0) }.first
    // A level column in words is preferred to one in numbers (PowerShell's export has both
    // `Level`, 0–5, and `LevelDisplayName`, `Information`).
    let levelNames = [
      "level", "severity", "loglevel", "levelname", "log_level", "leveldisplayname",
    ]
    level =
      first(levelNames) { ![.integer, .float].contains(profiles[$0].type) } ?? first(levelNames)
    component = first([
      "component", "service", "basename", "process", "processname", "logger", "module", "source",
      "app", "application", "program", "providername", "provider",
    ])
    message = first(["message", "msg", "content", "text", "description", "event", "log"])
    for (index, profile) in profiles.enumerated()
    where index != timestamp && !profile.isIdentifier && !profile.isConstant {
      switch profile.type {
      case .category, .text:
        messageColumns.append(index)
      case .integer where profile.distinct <= 20 && !profile.isConstant:
        messageColumns.append(index)
      default:
        break
      }
    }
  }
}

extension String {
  /// The string without leading and trailing spaces, tabs and a byte-order mark.
  func trimmingSpaces() -> String {
    var scalars = Substring(self)
    while let first = scalars.first, first == " " || first == "\t" || first == "\u{FEFF}" {
      scalars = scalars.dropFirst()
    }
    while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
    return String(scalars)
  }
}
