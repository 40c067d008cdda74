/// `app`: `YYYY-MM-DD HH:MM:SS LEVEL [Service] message` application logs over twelve
/// services (see ``ApplicationEvents``), with resource exhaustion, database failures,
/// authentication attacks, out-of-memory, read-only file systems, network outages and
/// malformed lines injected.
public struct AppScenario: Scenario {
  /// `app`.
  public let name = "app"
  /// A one-line description.
  public let summary = "application log: YYYY-MM-DD HH:MM:SS LEVEL [Service] message"

  /// Creates the scenario.
  public init() {}

  /// Writes the log and its line labels.
  public func generate(
    _ settings: GeneratorSettings, output: inout LineWriter, labels: inout LabelWriter?
  )
    throws(LineWriter.WriteError) -> GenerationSummary
  {
    let times = TimestampWriter()
    func write(
      _ event: ApplicationEvents.Event, _ time: Double, _ out: inout LineWriter,
      _ random: inout SeededRandom
    ) {
      guard !event.service.isEmpty else {
        event.write(&out, &random)
        return
      }
      times.write(time, .isoSpace, to: &out)
      out.append(byte: 0x20)
      out.append(event.level)
      out.append(" [")
      out.append(event.service)
      out.append("] ")
      event.write(&out, &random)
    }
    return try ApplicationEvents.generate(settings, output: &output, labels: &labels, write: write)
  }
}

/// `json`: the application events of `app` as JSON lines with a timestamp, level, service,
/// message, request id and duration; malformed lines are cut-off objects.
public struct JSONScenario: Scenario {
  /// `json`.
  public let name = "json"
  /// A one-line description.
  public let summary = "structured application events, one JSON object per line"

  /// Creates the scenario.
  public init() {}

  /// Writes the log and its line labels.
  public func generate(
    _ settings: GeneratorSettings, output: inout LineWriter, labels: inout LabelWriter?
  )
    throws(LineWriter.WriteError) -> GenerationSummary
  {
    let times = TimestampWriter()
    func write(
      _ event: ApplicationEvents.Event, _ time: Double, _ out: inout LineWriter,
      _ random: inout SeededRandom
    ) {
      out.append("{\"timestamp\":\"")
      times.write(time, .isoMillis, to: &out)
      if event.service.isEmpty {
        // A malformed line: the object is cut off.
        out.append("\",\"level\":\"error\",\"mess")
        return
      }
      out.append("\",\"level\":\"")
      out.append(event.level.lowercased())
      out.append("\",\"service\":\"")
      out.append(event.service)
      out.append("\",\"message\":\"")
      event.write(&out, &random)
      out.append("\",\"request_id\":\"req-")
      out.append(random.nextIndex(1 << 30), width: 10)
      out.append("\",\"duration_ms\":")
      out.append(Int(random.logNormal(median: 40, sigma: 0.7)))
      out.append(byte: 0x7D)
    }
    return try ApplicationEvents.generate(settings, output: &output, labels: &labels, write: write)
  }
}
