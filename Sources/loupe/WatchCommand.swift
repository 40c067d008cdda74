import ArgumentParser
import Dispatch
import Foundation
import LoupeConnect
import LoupeCore

/// `loupe watch FILE...`: follow growing files and report findings as they appear.
struct WatchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "watch",
    abstract: "Follow growing log files (rotation-safe) and print findings as they appear.",
    discussion: """
      Every --interval, the lines appended to each file are added to that file's window (the \
      latest --window lines), the window is analysed again with the templates carried over, and \
      the findings on the new lines are printed and passed to the configured alerts. Files are \
      followed like tail -F: rotation (the path names a new file) and truncation are noticed. \
      With --state, positions and templates are saved on exit (SIGINT, SIGTERM) and the next run \
      resumes where this one stopped.
      """)

  @Argument(help: "The files to follow.")
  var files: [String]

  @Flag(name: .customLong("from-start"), help: "Read the files from the start, not from their end.")
  var fromStart = false

  @Option(help: "Seconds between checks (default 1).")
  var interval: Double = 1

  @Option(help: "Lines of each file each pass analyses (default 50000).")
  var window = 50_000

  @Option(help: "Save positions and templates here on exit, and resume from it when it exists.")
  var state: String?

  @Option(help: "A YAML config file (default: loupe.yaml in the working directory, when present).")
  var config: String?

  @Option(
    name: .customLong("alerts-dir"), help: "Where file alert sinks write (default loupe-results).")
  var alertsDirectory = "loupe-results"

  @Flag(help: "Print each finding as a JSON object on its own line.")
  var json = false

  @OptionGroup var followUpOptions: FollowUpOptions

  /// What `--state` holds.
  struct WatchState: Codable {
    var version = 1
    var files: [String: FileFollower.Position] = [:]
    /// The last file's templates (what the first state files held; read when a file has none
    /// of its own below).
    var templates: TemplateState?
    /// Each file's templates.
    var templatesByFile: [String: TemplateState]?
  }

  func validate() throws {
    guard interval > 0 else { throw ValidationError("--interval must be positive") }
    guard window >= 100 else { throw ValidationError("--window must be at least 100") }
  }

  func run() async throws {
    let configuration = try ConfigFileOption.load(config)
    let options = try ConfigFileOption.analysisOptions(configuration)
    let followUp = try followUpOptions.followUp(configuration, outputDirectory: alertsDirectory)
    var saved = WatchState()
    if let state, FileManager.default.fileExists(atPath: state) {
      guard let data = FileManager.default.contents(atPath: state),
        let decoded = try? JSONDecoder().decode(WatchState.self, from: data), decoded.version == 1
      else {
        throw ValidationError("\(state): not a watch state file; delete it to start afresh")
      }
      saved = decoded
    }
    var followers: [FileFollower] = []
    var analyzers: [IncrementalAnalyzer] = []
    for file in files {
      let resume = saved.files[file]
      let follower = FileFollower(path: file, fromStart: fromStart, resume: resume)
      followers.append(follower)
      var fileOptions = options
      fileOptions.templateState = saved.templatesByFile?[file] ?? saved.templates
      analyzers.append(
        IncrementalAnalyzer(
          options: fileOptions, window: window, linesBefore: follower.lines,
          header: follower.position.offset > 0 ? Self.header(of: file, options: options.read) : []
        ))
      if !FileManager.default.fileExists(atPath: file) {
        FileHandle.standardError.write(Data("loupe: \(file): not there yet; waiting for it\n".utf8))
      }
    }
    let stop = StopSignal()
    FileHandle.standardError.write(
      Data(
        "loupe: watching \(files.count) file\(files.count == 1 ? "" : "s"); Ctrl-C to stop\n".utf8))
    while !stop.requested {
      for index in followers.indices {
        let lines = followers[index].poll()
        for event in followers[index].events {
          FileHandle.standardError.write(Data("loupe: \(event)\n".utf8))
        }
        followers[index].events = []
        guard var update = analyzers[index].append(lines, name: files[index]) else { continue }
        report(update, file: files[index])
        if let followUp, !update.newFindings.isEmpty {
          update.result.findings = update.newFindings
          let known = update.result.problems.count
          _ = await followUp.summarize(&update.result, options: options, input: files[index])
          let problems = update.result.problems.dropFirst(known).map(\.message)
          for problem in problems {
            FileHandle.standardError.write(Data("loupe: warning: \(problem)\n".utf8))
          }
        }
      }
      await stop.wait(seconds: interval)
    }
    if let state {
      var output = WatchState()
      var templates: [String: TemplateState] = [:]
      for (index, file) in files.enumerated() {
        output.files[file] = followers[index].position
        templates[file] = analyzers[index].options.templateState
      }
      output.templates = analyzers.last?.options.templateState
      output.templatesByFile = templates
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      do {
        try encoder.encode(output).write(to: URL(fileURLWithPath: state), options: .atomic)
        FileHandle.standardError.write(Data("loupe: state saved to \(state)\n".utf8))
      } catch {
        FileHandle.standardError.write(
          Data("loupe: \(state): cannot save the state: \(error.localizedDescription)\n".utf8))
        throw ExitCode(1)
      }
    }
  }

  /// The header of a delimited file whose watch starts past its first line (at its end, or
  /// resuming): read from the file's first lines, so that its rows keep their column names.
  static func header(of file: String, options: ReadOptions) -> [String] {
    guard let handle = FileHandle(forReadingAtPath: file) else { return [] }
    defer { try? handle.close() }
    guard let data = try? handle.read(upToCount: 1 << 18), !data.isEmpty else { return [] }
    let buffer = SourceBuffer(name: file, bytes: Array(data))
    var lines = buffer.bytes.withUnsafeBufferPointer {
      LineFramer.lines(in: $0, range: 0..<$0.count).map { buffer.string($0) }
    }
    // The last line may be cut by the read limit.
    if lines.count > 1 { lines.removeLast() }
    return IncrementalAnalyzer.delimitedHeader(lines, options: options)
  }

  /// Prints the new findings of an update.
  private func report(_ update: IncrementalAnalyzer.Update, file: String) {
    let result = update.result
    for finding in update.newFindings {
      let record = result.read.records[finding.record]
      let line = update.streamLine(of: finding.record)
      let message = FieldMessage.shownText(record, result.read.buffer)
      if json {
        let object: [String: Any] = [
          "file": file, "line": line, "severity": finding.severity.rawValue,
          "score": (finding.score * 10_000).rounded() / 10_000, "detectors": finding.detectors,
          "reason": finding.reason, "message": message,
        ]
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
          FileHandle.standardOutput.write(data + Data("\n".utf8))
        }
      } else {
        let flat = TerminalText.line(message, limit: 160)
        // Written straight to the descriptor, so that a pipe sees each finding at once.
        FileHandle.standardOutput.write(
          Data(
            "\(file):\(line)  \(finding.severity.rawValue)  \(String(format: "%.2f", finding.score))  \(finding.detectors.joined(separator: ","))  \(flat)\n"
              .utf8))
      }
    }
  }
}

/// SIGINT and SIGTERM ask the watch loop to stop (and save its state).
final class StopSignal: @unchecked Sendable {
  private let lock = NSLock()
  private var stopped = false
  private var sources: [any DispatchSourceSignal] = []

  init() {
    for signalNumber in [SIGINT, SIGTERM] {
      signal(signalNumber, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
      source.setEventHandler { [weak self] in self?.request() }
      source.resume()
      sources.append(source)
    }
  }

  private func request() {
    lock.lock()
    stopped = true
    lock.unlock()
  }

  var requested: Bool {
    lock.lock()
    defer { lock.unlock() }
    return stopped
  }

  /// Sleeps up to `seconds`, waking early when a stop is requested.
  func wait(seconds: Double) async {
    let deadline = Date().addingTimeInterval(seconds)
    while !requested, Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
  }
}
