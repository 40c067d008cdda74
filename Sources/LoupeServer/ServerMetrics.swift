import Foundation
import Hummingbird
import LoupeCore
import NIOConcurrencyHelpers

/// The counters `GET /metrics` shows in Prometheus's text format: requests by method, route
/// and status, request durations, ingested lines by stream, findings by severity, and analysis
/// durations.
public final class ServerMetrics: Sendable {
  struct State {
    var requests: [String: Int] = [:]
    var requestSeconds = Histogram(bounds: [
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ])
    var ingested: [String: Int] = [:]
    var findings: [String: Int] = [:]
    var analyses = 0
    var analysisSeconds = Histogram(bounds: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120])
  }

  /// A cumulative histogram.
  struct Histogram {
    let bounds: [Double]
    var counts: [Int]
    var sum: Double = 0
    var count = 0

    init(bounds: [Double]) {
      self.bounds = bounds
      counts = Array(repeating: 0, count: bounds.count)
    }

    mutating func observe(_ value: Double) {
      for (index, bound) in bounds.enumerated() where value <= bound { counts[index] += 1 }
      sum += value
      count += 1
    }

    func lines(_ name: String) -> [String] {
      var lines = zip(bounds, counts).map { "\(name)_bucket{le=\"\($0)\"} \($1)" }
      lines.append("\(name)_bucket{le=\"+Inf\"} \(count)")
      lines.append("\(name)_sum \(String(format: "%.6f", sum))")
      lines.append("\(name)_count \(count)")
      return lines
    }
  }

  private let state = NIOLockedValueBox(State())

  /// Empty counters.
  public init() {}

  func request(method: String, route: String, status: Int, seconds: Double) {
    state.withLockedValue {
      $0.requests["method=\"\(method)\",route=\"\(route)\",status=\"\(status)\"", default: 0] += 1
      $0.requestSeconds.observe(seconds)
    }
  }

  /// Counts lines received on a stream.
  public func ingested(_ lines: Int, stream: String) {
    state.withLockedValue { $0.ingested[stream, default: 0] += lines }
  }

  func analysed(findings: [Severity: Int], seconds: Double) {
    state.withLockedValue {
      $0.analyses += 1
      $0.analysisSeconds.observe(seconds)
      for (severity, count) in findings { $0.findings[severity.rawValue, default: 0] += count }
    }
  }

  static func escape(_ label: String) -> String {
    label.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
      .replacingOccurrences(of: "\n", with: "\\n")
  }

  /// The exposition text.
  public func text() -> String {
    let state = state.withLockedValue { $0 }
    var lines = [
      "# HELP loupe_http_requests_total HTTP requests by method, route and status.",
      "# TYPE loupe_http_requests_total counter",
    ]
    lines += state.requests.sorted { $0.key < $1.key }.map {
      "loupe_http_requests_total{\($0.key)} \($0.value)"
    }
    lines += [
      "# HELP loupe_http_request_duration_seconds Time to answer HTTP requests.",
      "# TYPE loupe_http_request_duration_seconds histogram",
    ]
    lines += state.requestSeconds.lines("loupe_http_request_duration_seconds")
    lines += [
      "# HELP loupe_ingested_lines_total Lines received by ingest and syslog, by stream.",
      "# TYPE loupe_ingested_lines_total counter",
    ]
    lines += state.ingested.sorted { $0.key < $1.key }.map {
      "loupe_ingested_lines_total{stream=\"\(Self.escape($0.key))\"} \($0.value)"
    }
    lines += [
      "# HELP loupe_findings_total Findings of the analyses run, by severity.",
      "# TYPE loupe_findings_total counter",
    ]
    lines += Severity.allCases.map {
      "loupe_findings_total{severity=\"\($0.rawValue)\"} \(state.findings[$0.rawValue] ?? 0)"
    }
    lines += [
      "# HELP loupe_analyses_total Analyses run.", "# TYPE loupe_analyses_total counter",
      "loupe_analyses_total \(state.analyses)",
      "# HELP loupe_analysis_duration_seconds Time analyses took.",
      "# TYPE loupe_analysis_duration_seconds histogram",
    ]
    lines += state.analysisSeconds.lines("loupe_analysis_duration_seconds")
    return lines.joined(separator: "\n") + "\n"
  }
}

/// Counts every request for ``ServerMetrics``.
struct MetricsMiddleware: RouterMiddleware {
  typealias Context = LoupeRequestContext
  let metrics: ServerMetrics

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let started = ContinuousClock.now
    func seconds() -> Double {
      let elapsed = ContinuousClock.now - started
      return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
    do {
      let response = try await next(request, context)
      metrics.request(
        method: request.method.rawValue, route: context.endpointPath ?? "unmatched",
        status: response.status.code, seconds: seconds())
      return response
    } catch {
      let status = (error as? any HTTPResponseError)?.status.code ?? 500
      metrics.request(
        method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: status,
        seconds: seconds())
      throw error
    }
  }
}
