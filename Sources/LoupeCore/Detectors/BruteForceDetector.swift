import Foundation

/// Finds brute force: many authentication failures from one source in a short time — an SSH
/// password guesser, a credential-stuffing run against a login form, a password spray across
/// many accounts from one address.
///
/// - A record is an authentication failure when its template says so (``failurePhrases``,
///   checked once per template: `Failed password for root from …`, `authentication failure;
///   … rhost=…`, `Invalid user admin from …`, `login failed for …`, `An account failed to log
///   on`, an audit log's `type=USER_AUTH … res=failed`), when it is an HTTP request answered
///   401, or when it is a Windows failed logon by
///   event id (4625, Kerberos' 4771), which exports without the event's text only give as a
///   number.
/// - Its source is the request's client (``RequestField/client``), else the address a
///   Windows event names (``WindowsSecurityEvents/sourceFieldNames``), else the first IPv4
///   address in the message, else the host after `rhost=`.
/// - A source brute-forces when it fails at least `failures` times (default 10,
///   ``RuleLimits/bruteForceFailures``) within `window` seconds (default 600,
///   ``RuleLimits/bruteForceWindowSeconds``) — or, without timestamps, within 1,000
///   records. Like a flood, each such run is one finding, on its first failure, with the
///   run's count, source and span: 0.85 (high) at the threshold, +0.05 for each tenfold beyond
///   it, at most 0.97. (The rules still judge each failure on its own.)
/// - An account (``TargetAccount``) whose failures outside those runs make a run of their own
///   from at least ``distributedSources`` sources is under a distributed attack, reported and
///   scored the same way ("distributed brute force: 40 authentication failures for root from
///   23 sources in 3 min …"), and so is one whose failures name no source, at least the
///   threshold's count of them in a run ("brute force: 40 authentication failures for
///   administrator, no source named, in 2 min …").
public struct BruteForceDetector: Detector {
  /// `bruteforce`.
  public let name = "bruteforce"
  /// The window, in records, when the records have no timestamps.
  public static let recordWindow = 1_000

  /// Phrases of an authentication failure, lower-case.
  public static let failurePhrases = [
    "authentication failure", "authentication failed", "failed password", "invalid user",
    "login failed", "failed login", "login failure", "incorrect password", "wrong password",
    "invalid password", "bad password", "auth failed", "invalid credentials",
    "failed publickey", "logon failure", "unknown user", "user unknown", "failed to log on",
    "failed to logon", "failed to login", "failed to log in",
  ]

  /// Creates the detector.
  public init() {}

  /// Whether a template is an authentication failure: it holds one of ``failurePhrases``, or
  /// it is an audit log's failed `USER_AUTH` record (one per password tried; the
  /// `USER_LOGIN` that ends a connection is not counted again).
  static func isFailure(_ template: String) -> Bool {
    let lower = template.lowercased()
    return failurePhrases.contains { lower.contains($0) }
      || (lower.hasPrefix("type=user_auth ") && lower.contains("res=failed"))
  }

  /// Finds runs of authentication failures from one source.
  public func detect(_ input: DetectionInput) -> DetectorReport {
    let limits = input.ruleLimits
    let timed = input.records.contains { $0.timestamp != nil }
    var parameters = [
      "failures": String(limits.bruteForceFailures),
      "window": timed
        ? "\(ReasonText.number(limits.bruteForceWindowSeconds)) s" : "\(Self.recordWindow) records",
    ]
    let failing = input.templates.templates.map { Self.isFailure($0.text) }
    let statusName = RequestField.status.name(in: input.records)
    // Only requests have a status: other inputs are not searched for one record by record.
    var statusField =
      input.records.prefix(200).contains { $0.field(statusName) != nil }
      ? FieldLookup(statusName) : nil
    var clientField = RequestField.client.lookup(in: input.records)
    var windowsEventField = WindowsSecurityEvents.idField(in: input.records).map(FieldLookup.init)
    let windowsSourceNames = Set(
      input.records.prefix(50).flatMap { record in
        record.fields.map(\.name).filter(WindowsSecurityEvents.sourceFieldNames.contains)
      })
    var windowsSourceFields = WindowsSecurityEvents.sourceFieldNames.filter {
      windowsSourceNames.contains($0)
    }.map(FieldLookup.init)
    var accountFields = TargetAccount.fieldNames.filter { name in
      input.records.prefix(50).contains { $0.field(name) != nil }
    }.map(FieldLookup.init)
    var sourceNumbers: [String: Int] = [:]
    var sources: [String] = []
    var failures: [[Int]] = []
    // Per account: its failures and the number of each one's source, when it has one.
    var accountFailures: [String: [(record: Int, source: Int?)]] = [:]
    input.buffer.bytes.withUnsafeBufferPointer { bytes in
      for (index, record) in input.records.enumerated() {
        var failed =
          failing[input.templates.assignments[index]]
          || statusField?.value(in: record).flatMap({ ByteClass.integer(bytes, $0.span) }) == 401
        if !failed, var lookup = windowsEventField {
          let event = WindowsSecurityEvents.meaning(of: record, id: &lookup, bytes)
          failed =
            event.map { WindowsSecurityEvents.authenticationFailures.contains($0.id) } ?? false
          windowsEventField = lookup
        }
        guard failed else { continue }
        let source =
          clientField.value(in: record).map { input.buffer.string($0) }
          ?? windowsSource(record, &windowsSourceFields, input.buffer)
          ?? SourceAddress.find(bytes, record.message.span)
        var number: Int?
        if let source, !source.isEmpty, source != "-" {
          if let known = sourceNumbers[source] {
            number = known
            failures[known].append(index)
          } else {
            number = sources.count
            sourceNumbers[source] = sources.count
            sources.append(source)
            failures.append([index])
          }
        }
        let account =
          accountFields.indices.lazy.compactMap { accountFields[$0].value(in: record) }.first.map {
            input.buffer.string($0)
          } ?? TargetAccount.find(bytes, record.message.span)
        if let account, !account.isEmpty, account != "-" {
          accountFailures[account, default: []].append((index, number))
        }
      }
    }
    var hits: [DetectorHit] = []
    var attackers = 0
    var inSourceRuns = Set<Int>()
    for (source, places) in zip(sources, failures) where places.count >= limits.bruteForceFailures {
      let runs = self.runs(places, input, timed: timed, limits: limits)
      if !runs.isEmpty { attackers += 1 }
      for run in runs {
        inSourceRuns.formUnion(run)
        let count = run.count
        let score = min(
          0.97, 0.85 + 0.05 * log10(Double(count) / Double(limits.bruteForceFailures)))
        let reason =
          "brute force: \(count) authentication failures from \(source) \(span(run, input))"
        if let first = run.first {
          hits.append(DetectorHit(record: first, score: score, reason: reason, tags: ["security"]))
        }
      }
    }
    let accountRuns = self.accountRuns(
      accountFailures, excluding: inSourceRuns, input, timed: timed, limits: limits)
    parameters["sources"] = String(attackers)
    parameters["runs"] = String(hits.count)
    parameters["account_runs"] = String(accountRuns.count)
    hits += accountRuns
    hits.sort { $0.record < $1.record }
    return DetectorReport(name: name, parameters: parameters, hits: hits, scores: nil)
  }

  /// The runs of `places` (one source's failures, in record order) in which some window holds
  /// at least the threshold's count: each failure inside such a window is in a run, and
  /// overlapping windows make one run.
  func runs(_ places: [Int], _ input: DetectionInput, timed: Bool, limits: RuleLimits) -> [[Int]] {
    let needed = limits.bruteForceFailures
    func distance(_ first: Int, _ second: Int) -> Double {
      if timed {
        guard let start = input.records[first].timestamp,
          let end = input.records[second].timestamp
        else { return .infinity }
        return end - start
      }
      return Double(second - first)
    }
    let reach = timed ? limits.bruteForceWindowSeconds : Double(Self.recordWindow)
    var inRun = [Bool](repeating: false, count: places.count)
    var start = 0
    var marked = -1
    for end in places.indices {
      while start < end, distance(places[start], places[end]) > reach { start += 1 }
      if end - start + 1 >= needed {
        for index in max(start, marked + 1)...end { inRun[index] = true }
        marked = end
      }
    }
    return RecordRuns.group(places, marked: inRun)
  }

  /// Attacks on one account from many sources, each too few to stand out alone (a botnet
  /// guessing root's password, a spray of one account from many addresses): the account's
  /// failures outside any one source's run, in runs as for a source, when a run comes from at
  /// least ``distributedSources`` different sources. A run with no source named for at least
  /// the threshold's count of its failures (Windows events that give none) is an attack on the
  /// account from wherever it came.
  func accountRuns(
    _ accountFailures: [String: [(record: Int, source: Int?)]], excluding covered: Set<Int>,
    _ input: DetectionInput, timed: Bool, limits: RuleLimits
  ) -> [DetectorHit] {
    var hits: [DetectorHit] = []
    for account in accountFailures.keys.sorted() {
      guard let all = accountFailures[account] else { continue }
      let open = all.filter { !covered.contains($0.record) }
      guard open.count >= limits.bruteForceFailures else { continue }
      let sourceOf = Dictionary(
        open.map { ($0.record, $0.source) }, uniquingKeysWith: { a, _ in a })
      for run in runs(open.map(\.record), input, timed: timed, limits: limits) {
        let named = run.compactMap { sourceOf[$0] ?? nil }
        let sources = Set(named).count
        let unnamed = run.count - named.count
        guard let first = run.first else { continue }
        let reason: String
        if sources >= Self.distributedSources {
          reason =
            "distributed brute force: \(run.count) authentication failures for \(account) from \(sources) sources \(span(run, input))"
        } else if unnamed >= limits.bruteForceFailures {
          reason =
            "brute force: \(run.count) authentication failures for \(account), \(unnamed == run.count ? "no source named" : "\(unnamed) with no source named"), \(span(run, input))"
        } else {
          continue
        }
        let score = min(
          0.97, 0.85 + 0.05 * log10(Double(run.count) / Double(limits.bruteForceFailures)))
        hits.append(DetectorHit(record: first, score: score, reason: reason, tags: ["security"]))
      }
    }
    return hits
  }

  /// How many different sources make one account's run of failures a distributed attack.
  public static let distributedSources = 5

  /// The address a Windows event names as its source, when it names one (`-` is none).
  private func windowsSource(
    _ record: LogRecord, _ fields: inout [FieldLookup], _ buffer: SourceBuffer
  ) -> String? {
    for index in fields.indices {
      if let value = fields[index].value(in: record) {
        let text = buffer.string(value)
        if !text.isEmpty, text != "-" { return text }
      }
    }
    return nil
  }

  private func span(_ run: [Int], _ input: DetectionInput) -> String {
    guard let first = run.first, let last = run.last else { return "" }
    return RecordRuns.span(from: first, to: last, input)
  }
}
