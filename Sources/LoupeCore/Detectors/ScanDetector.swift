import Foundation

/// Finds port scans: one source trying many different destination ports or hosts in a short
/// time, as firewall, flow and IDS logs record them. A client talks to a few services; a
/// scanner walks through them.
///
/// - Connections are read from fields — the source (`src_ip`, `srcaddr`, `id.orig_h`,
///   `source.ip`, `src`), the destination port (`dest_port`, `dstport`, `id.resp_p`,
///   `destination.port`, `dst_port`) and host (`dest_ip`, `dstaddr`, `id.resp_h`,
///   `destination.ip`, `dst`): Suricata's EVE, Zeek, AWS VPC flow logs, ECS — or from the
///   message: the kernel firewall's `SRC=… DST=… DPT=…` (iptables, UFW) and Cisco ASA's `src
///   outside:IP/PORT dst inside:IP/PORT`.
/// - A source scans when it reaches at least ``minimumTargets`` different destinations (port
///   and host) within ``windowSeconds`` — or, without timestamps, within ``recordWindow`` of
///   its records. Like a brute force, each such run is one finding, on its first record, with
///   the count of ports and hosts and the span: 0.85 (high), +0.05 for each tenfold beyond the
///   threshold, at most 0.97.
public struct ScanDetector: Detector {
  /// `scan`.
  public let name = "scan"
  /// The fewest different destinations that make a scan.
  public static let minimumTargets = 20
  /// The window, in seconds.
  public static let windowSeconds = 300.0
  /// The window, in records of one source, when the records have no timestamps.
  public static let recordWindow = 1_000

  static let sourceNames = ["src_ip", "srcaddr", "id.orig_h", "source.ip", "src"]
  static let portNames = ["dest_port", "dstport", "id.resp_p", "destination.port", "dst_port"]
  static let hostNames = ["dest_ip", "dstaddr", "id.resp_h", "destination.ip", "dst"]

  /// Creates the detector.
  public init() {}

  /// One connection: who, and to what (a hash of the destination host and port).
  struct Connection {
    var source: String
    var host: UInt64
    var port: Int
  }

  /// Finds runs of connections from one source to many destinations.
  public func detect(_ input: DetectionInput) -> DetectorReport {
    var parameters = [
      "targets": String(Self.minimumTargets),
      "window": "\(ReasonText.number(Self.windowSeconds)) s",
    ]
    var fields = ConnectionFields(input.records.prefix(200))
    // Messages are searched only where their template can state a connection.
    let stating = input.templates.templates.map { FirewallMessage.mayState($0.text) }
    var bySource: [String: [(record: Int, target: UInt64, host: UInt64)]] = [:]
    input.buffer.bytes.withUnsafeBufferPointer { bytes in
      for (index, record) in input.records.enumerated() {
        let connection: Connection?
        if fields != nil {
          connection = fields?.connection(record, input.buffer, bytes)
        } else if stating[input.templates.assignments[index]] {
          connection = FirewallMessage.connection(bytes, record.message.span)
        } else {
          connection = nil
        }
        guard let connection else { continue }
        let target = connection.host &* 65_599 &+ UInt64(connection.port)
        bySource[connection.source, default: []].append((index, target, connection.host))
      }
    }
    guard !bySource.isEmpty else {
      return .skipped(name, parameters, because: "no connections with a source and a port")
    }
    let timed = input.records.contains { $0.timestamp != nil }
    var hits: [DetectorHit] = []
    for address in bySource.keys.sorted() {
      guard let connections = bySource[address], connections.count >= Self.minimumTargets
      else { continue }
      for run in runs(connections.map { ($0.record, $0.target) }, input, timed: timed) {
        guard let first = run.first, let last = run.last else { continue }
        let inRun = connections.filter { $0.record >= first && $0.record <= last }
        let targets = Set(inRun.map(\.target)).count
        let hosts = Set(inRun.map(\.host)).count
        let score = min(
          0.97, 0.85 + 0.05 * log10(Double(targets) / Double(Self.minimumTargets)))
        hits.append(
          DetectorHit(
            record: first, score: score,
            reason:
              "port scan: \(address) tried \(targets) destinations on \(hosts) host\(hosts == 1 ? "" : "s") \(RecordRuns.span(from: first, to: last, input))",
            tags: ["security"]))
      }
    }
    hits.sort { $0.record < $1.record }
    parameters["runs"] = String(hits.count)
    return DetectorReport(name: name, parameters: parameters, hits: hits, scores: nil)
  }

  /// The records (in order) in which some window holds at least ``minimumTargets`` different
  /// targets of one source, grouped into runs of overlapping windows.
  func runs(_ places: [(record: Int, target: UInt64)], _ input: DetectionInput, timed: Bool)
    -> [[Int]]
  {
    func tooFar(_ first: Int, _ second: Int) -> Bool {
      if timed {
        guard let start = input.records[places[first].record].timestamp,
          let end = input.records[places[second].record].timestamp
        else { return true }
        return end - start > Self.windowSeconds
      }
      return second - first >= Self.recordWindow
    }
    var counts: [UInt64: Int] = [:]
    var inRun = [Bool](repeating: false, count: places.count)
    var start = 0
    var marked = -1
    for end in places.indices {
      counts[places[end].target, default: 0] += 1
      while start < end, tooFar(start, end) {
        let target = places[start].target
        counts[target, default: 1] -= 1
        if counts[target] == 0 { counts[target] = nil }
        start += 1
      }
      if counts.count >= Self.minimumTargets {
        for index in max(start, marked + 1)...end { inRun[index] = true }
        marked = end
      }
    }
    return RecordRuns.group(places.map(\.record), marked: inRun)
  }

  /// The fields an input's records name a connection's source, destination port and host by.
  struct ConnectionFields {
    var source: FieldLookup
    var port: FieldLookup
    var host: FieldLookup?

    /// The fields the `sample` records have, or `nil` without a source and a port.
    init?(_ sample: ArraySlice<LogRecord>) {
      func present(_ names: [String]) -> FieldLookup? {
        names.first { name in sample.contains { $0.field(name) != nil } }.map(FieldLookup.init)
      }
      guard let source = present(ScanDetector.sourceNames),
        let port = present(ScanDetector.portNames)
      else { return nil }
      self.source = source
      self.port = port
      host = present(ScanDetector.hostNames)
    }

    /// The connection `record` names.
    mutating func connection(
      _ record: LogRecord, _ buffer: SourceBuffer, _ bytes: UnsafeBufferPointer<UInt8>
    ) -> Connection? {
      guard let from = source.value(in: record), let to = port.value(in: record),
        let number = ByteClass.integer(bytes, to.span)
      else { return nil }
      let address = buffer.string(from)
      guard !address.isEmpty, address != "-" else { return nil }
      let destination = host?.value(in: record).map { Hashing.fnv1a(bytes, $0.span) } ?? 0
      return Connection(source: address, host: destination, port: number)
    }
  }

}
