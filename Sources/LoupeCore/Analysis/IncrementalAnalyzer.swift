/// Analysis of a stream of lines as they arrive: each update re-analyses the latest `window`
/// lines — templates carried over from the previous pass, so ids stay stable, detectors
/// re-fitted on the window — and reports the findings on lines that arrived in this update.
/// Used by `loupe watch`; the server's ingested streams follow the same scheme.
///
/// A delimited stream's header (a CSV header row, W3C or Zeek `#` directives), read in the
/// first update, is put in front of every later window once it has scrolled out, so the rows
/// keep their column names however long the stream runs.
public struct IncrementalAnalyzer: Sendable {
  /// One update's outcome.
  public struct Update: Sendable {
    /// The analysis of the window.
    public var result: AnalysisResult
    /// The findings on the new lines, by line.
    public var newFindings: [Finding]
    /// The stream line number of the window's first line (1-based over the whole stream).
    public var firstLine: Int
    /// How many header lines were put in front of the window.
    public var headerLines = 0

    /// The stream line number of a record of the window.
    public func streamLine(of record: Int) -> Int {
      firstLine + result.read.records[record].line - 1 - headerLines
    }
  }

  /// The analysis settings.
  public var options: AnalysisOptions
  /// The most lines each pass analyses.
  public var window: Int
  /// The latest lines, at most `window`.
  public private(set) var lines: [String] = []
  /// Lines seen so far.
  public private(set) var total = 0
  /// The stream's header lines, when the first update found it delimited.
  public private(set) var header: [String] = []

  /// Creates an analyzer; `linesBefore` counts lines already seen and `header` is the
  /// stream's header (both when resuming).
  public init(
    options: AnalysisOptions, window: Int = 50_000, linesBefore: Int = 0, header: [String] = []
  ) {
    self.options = options
    self.window = max(100, window)
    total = linesBefore
    self.header = header
  }

  /// The header lines of a stream that starts with `firstLines` when it is delimited (the
  /// lines before its first row: a CSV header row, W3C or Zeek `#` directives), else none.
  /// - Parameters:
  ///   - firstLines: the stream's first lines (200 are plenty).
  ///   - options: how the stream is read.
  /// - Returns: the header lines.
  public static func delimitedHeader(_ firstLines: [String], options: ReadOptions) -> [String] {
    let sample = Array(firstLines.prefix(FormatDetector.sampleLines))
    let text = sample.joined(separator: "\n") + "\n"
    guard
      let read = try? RecordReader.read(
        SourceBuffer(name: "header", bytes: Array(text.utf8)), options: options),
      read.audit != nil, let first = read.records.first
    else { return [] }
    return Array(sample.prefix(first.line - 1))
  }

  /// Adds lines and analyses the window.
  /// - Parameters:
  ///   - newLines: the lines that arrived.
  ///   - name: the input's name in outputs.
  /// - Returns: the update, or `nil` when there was nothing to analyse.
  public mutating func append(_ newLines: [String], name: String) -> Update? {
    guard !newLines.isEmpty else { return nil }
    // A header row seen again (a rotated file, or exports appended one after another) is no
    // row: it becomes a blank line, which keeps the line numbers and is skipped.
    let repeatedHeader = header.count == 1 ? header.first : nil
    lines += newLines.map { $0 == repeatedHeader ? "" : $0 }
    if lines.count > window { lines.removeFirst(lines.count - window) }
    let before = total
    total += newLines.count
    let firstLine = total - lines.count + 1
    // The header goes in front once the window no longer starts with it (or never did: a
    // watch that started past it).
    let headerLines = Array(lines.prefix(header.count)) == header ? 0 : header.count
    let text = (header.prefix(headerLines) + lines).joined(separator: "\n") + "\n"
    guard
      let result = try? Analyzer(options: options).analyze(
        SourceBuffer(name: name, bytes: Array(text.utf8)))
    else { return nil }
    if header.isEmpty, firstLine == 1, result.read.audit != nil {
      header = Self.delimitedHeader(lines, options: options.read)
    }
    options.templateState = result.templateState
    var update = Update(
      result: result, newFindings: [], firstLine: firstLine, headerLines: headerLines)
    update.newFindings = result.findings.filter { update.streamLine(of: $0.record) > before }
    return update
  }
}
