/// A problem with one input, told to the user in one sentence that names the file and, where
/// it applies, the line.
public struct InputProblem: Error, Sendable, Hashable, Codable, CustomStringConvertible {
  /// The input's name as the user gave it.
  public var file: String
  /// The 1-based line the problem is on, when it is about a line.
  public var line: Int?
  /// What was wrong and what Loupe did about it.
  public var message: String

  /// Creates a problem report.
  public init(file: String, line: Int? = nil, message: String) {
    self.file = file
    self.line = line
    self.message = message
  }

  /// `file:line: message`, or `file: message`.
  public var description: String {
    if let line { return "\(file):\(line): \(message)" }
    return "\(file): \(message)"
  }
}
