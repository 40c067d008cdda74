import Foundation
import LoupeCore
import LoupeStore

/// Analyses ingested streams as lines arrive: after each batch (at most every `interval`
/// seconds while lines keep coming) it analyses the stream's latest `window` lines — starting
/// from the templates the previous pass learned, so ids stay stable, detectors re-fitted on
/// the window — stores the result as the stream's current
/// analysis (owner `stream:NAME`, replacing the previous one) and runs the configured alerts,
/// whose de-duplication keeps a standing incident to one alert.
public actor StreamAnalyzer {
  let store: any ResultStore
  let runner: AnalysisRunner
  let window: Int
  let interval: Double
  private var running: Set<String> = []
  private var dirty: Set<String> = []
  private var current: [String: String] = [:]
  private var templates: [String: TemplateState] = [:]
  private var headers: [String: [String]] = [:]
  private var idleWaiters: [CheckedContinuation<Void, Never>] = []

  init(store: any ResultStore, runner: AnalysisRunner, window: Int, interval: Double) {
    self.store = store
    self.runner = runner
    self.window = window
    self.interval = interval
  }

  /// The owner of a stream's analyses.
  public static func owner(_ stream: String) -> String { "stream:" + stream }

  /// Notes that `stream` received lines; starts a pass unless one is running.
  public func notify(_ stream: String) {
    dirty.insert(stream)
    guard !running.contains(stream) else { return }
    running.insert(stream)
    Task { await self.loop(stream) }
  }

  /// The id of the stream's current analysis.
  public func analysisID(_ stream: String) async -> String? {
    if let id = current[stream] { return id }
    return try? await store.analyses(owner: Self.owner(stream), limit: 1, offset: 0).first?.id
  }

  /// Returns when no stream has a pass running or pending.
  public func waitUntilIdle() async {
    if running.isEmpty { return }
    await withCheckedContinuation { idleWaiters.append($0) }
  }

  /// The header lines of `stream` (``IncrementalAnalyzer/delimitedHeader(_:options:)``), read
  /// from its first lines once.
  private func header(of stream: String) async -> [String] {
    if let known = headers[stream] { return known }
    guard
      let first = try? await store.ingested(
        stream: stream, after: 0, limit: FormatDetector.sampleLines)
    else { return [] }
    let header = IncrementalAnalyzer.delimitedHeader(
      first.map(\.line), options: runner.options.read)
    headers[stream] = header
    return header
  }

  private func loop(_ stream: String) async {
    var first = true
    while dirty.contains(stream) {
      if !first { try? await Task.sleep(for: .milliseconds(Int(interval * 1000))) }
      first = false
      dirty.remove(stream)
      await pass(stream)
    }
    running.remove(stream)
    if running.isEmpty {
      let waiters = idleWaiters
      idleWaiters = []
      for waiter in waiters { waiter.resume() }
    }
  }

  private func pass(_ stream: String) async {
    guard let total = try? await store.ingestedCount(stream: stream), total > 0 else { return }
    // A delimited stream's header goes in front of a window that no longer starts with it.
    let header = total > window ? await header(of: stream) : []
    let start = max(total - window, header.count)
    guard let lines = try? await store.ingested(stream: stream, after: start, limit: window)
    else { return }
    let previous = await analysisID(stream)
    do {
      let (analysis, learned) = try await runner.runKeepingTemplates(
        .lines(header + lines.map(\.line)), name: stream, owner: Self.owner(stream),
        detectors: nil,
        modelName: nil, templates: templates[stream])
      current[stream] = analysis.id
      templates[stream] = learned
      if let previous, previous != analysis.id { _ = try? await store.delete(analysis: previous) }
    } catch {
      // A stream of binary junk has no analysis; the lines stay stored.
    }
  }
}
