import Foundation
import LoupeCore

/// How `loupe serve` runs.
public struct ServerSettings: Sendable {
  /// The address to bind.
  public var host = "127.0.0.1"
  /// The HTTP port (0: any free port).
  public var port = 8080
  /// The largest upload, in bytes (default 100 MB).
  public var maxUploadBytes = 100 * 1024 * 1024
  /// The largest ingest request body, in bytes (default 16 MB).
  public var maxIngestBytes = 16 * 1024 * 1024
  /// Where uploads are written while they are analysed.
  public var uploadDirectory = NSTemporaryDirectory()
  /// Whether cookies carry `Secure` (set when the server is reached over HTTPS).
  public var secureCookies = false
  /// The syslog port (TCP and UDP); `nil`: no listener.
  public var syslogPort: Int?
  /// The stream syslog messages go to.
  public var syslogStream = "syslog"
  /// The analysis settings from the config.
  public var analysis = AnalysisOptions()
  /// The most recent lines of a stream each pass analyses.
  public var streamWindow = 100_000
  /// Seconds between passes over a stream that keeps receiving lines.
  public var streamInterval: Double = 2

  /// Default settings.
  public init() {}
}
