import Foundation
import LoupeCore
import LoupeStore

/// What every route needs: the store, the runner, the settings, the counters and the stream
/// engine.
public struct ServerContext: Sendable {
  /// The store.
  public var store: any ResultStore
  /// Runs analyses.
  public var runner: AnalysisRunner
  /// The settings.
  public var settings: ServerSettings
  /// The counters.
  public var metrics: ServerMetrics
  /// Analyses ingested streams.
  public var streams: StreamAnalyzer

  /// Assembles the context.
  public init(
    store: any ResultStore, settings: ServerSettings, followUp: (any AnalysisFollowUp)?
  ) {
    let metrics = ServerMetrics()
    let runner = AnalysisRunner(
      store: store, options: settings.analysis, followUp: followUp, metrics: metrics)
    self.store = store
    self.runner = runner
    self.settings = settings
    self.metrics = metrics
    streams = StreamAnalyzer(
      store: store, runner: runner, window: settings.streamWindow,
      interval: settings.streamInterval)
  }
}
