import Foundation

/// A place alerts are delivered to.
public protocol AlertSink: Sendable {
  /// The sink's name, as rules name it.
  var name: String { get }
  /// The most alerts it sends in any hour; `nil`: no limit.
  var maxPerHour: Int? { get }
  /// Delivers one alert.
  /// - Throws: when the alert could not be delivered; the message says why.
  func deliver(_ alert: Alert) async throws
}

/// Prints alerts on standard error.
public struct ConsoleAlertSink: AlertSink {
  /// The sink's name.
  public var name: String
  /// The hourly limit.
  public var maxPerHour: Int?

  /// Creates a console sink.
  public init(name: String = "console", maxPerHour: Int? = nil) {
    self.name = name
    self.maxPerHour = maxPerHour
  }

  /// Prints the alert's title and evidence on standard error.
  public func deliver(_ alert: Alert) async throws {
    let text = AlertText.plain(alert).split(separator: "\n", omittingEmptySubsequences: false)
      .map { "loupe: ALERT " + $0 }.dropLast().joined(separator: "\n")
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }
}

/// Appends alerts to `alerts.txt` (human-readable) and `alerts.jsonl` (one JSON object per
/// alert) in a directory.
public struct FileAlertSink: AlertSink {
  /// The sink's name.
  public var name: String
  /// The hourly limit.
  public var maxPerHour: Int?
  /// The directory holding the two files.
  public var directory: String

  /// Creates a file sink.
  public init(name: String = "file", directory: String, maxPerHour: Int? = nil) {
    self.name = name
    self.directory = directory
    self.maxPerHour = maxPerHour
  }

  /// Appends the alert to both files.
  public func deliver(_ alert: Alert) async throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let json = try encoder.encode(alert) + Data("\n".utf8)
    try append(json, to: "alerts.jsonl")
    let separator = String(repeating: "=", count: 72)
    try append(Data((separator + "\n" + AlertText.plain(alert)).utf8), to: "alerts.txt")
  }

  private func append(_ data: Data, to name: String) throws {
    let path = (directory as NSString).appendingPathComponent(name)
    if !FileManager.default.fileExists(atPath: path),
      !FileManager.default.createFile(atPath: path, contents: nil)
    {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
    }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.seekToEnd()
    try handle.write(contentsOf: data)
  }
}
