/// Rare messages that come one after another are one event: a boot prints seventy one-off
/// kernel lines in three seconds, a crash handler a dozen lines of detail, an upgrade a block
/// of messages never seen before. Reporting each as a finding of its own buries the rest of the
/// log under one moment, so ``RareTemplateDetector`` reports such a run once.
///
/// A run is a chain of rare records in which each is at most ``maximumGap`` records and
/// ``maximumPause`` seconds (when both have timestamps) after the one before, holding at least
/// ``minimumTemplates`` different templates — so a rare message repeated through the log, or a
/// handful together, is judged record by record as before. Records at error level or worse
/// are not part of runs: a failure never seen before is news on its own. The run's finding is on
/// its rarest record (the first of those with the highest score) and says where the run starts
/// and ends; its other records are no finding by rarity (other detectors still judge them).
enum RareRuns {
  /// The fewest different templates that make a run.
  static let minimumTemplates = 10
  /// The most records between two rare records of one run.
  static let maximumGap = 5
  /// The longest pause between two rare records of one run, in seconds.
  static let maximumPause = 60.0

  /// `hits` of the rarity detector, in record order, with each run folded into one hit on its
  /// rarest record; and the number of runs folded.
  static func fold(_ hits: [DetectorHit], _ input: DetectionInput) -> (
    hits: [DetectorHit], runs: Int
  ) {
    let members = hits.indices.filter { (input.records[hits[$0].record].level ?? .info) < .error }
    var runs: [[Int]] = []
    var current: [Int] = []
    for member in members {
      if let last = current.last, !follows(hits[member].record, hits[last].record, input) {
        runs.append(current)
        current = []
      }
      current.append(member)
    }
    runs.append(current)
    var folded = [Bool](repeating: false, count: hits.count)
    var result = hits
    var count = 0
    for run in runs {
      let templates = Set(run.map { input.templates.assignments[hits[$0].record] })
      guard templates.count >= minimumTemplates, let first = run.first, let last = run.last,
        let kept = run.max(by: { (hits[$0].score, $1) < (hits[$1].score, $0) })
      else { continue }
      count += 1
      for member in run where member != kept { folded[member] = true }
      result[kept].reason +=
        "; "
        + description(
          records: run.count, templates: templates.count, from: hits[first].record,
          to: hits[last].record, input)
    }
    return (result.indices.filter { !folded[$0] }.map { result[$0] }, count)
  }

  /// Whether the rare record `next` continues a run whose last rare record is `previous`.
  private static func follows(_ next: Int, _ previous: Int, _ input: DetectionInput) -> Bool {
    guard next - previous <= maximumGap else { return false }
    guard let end = input.records[previous].timestamp, let start = input.records[next].timestamp
    else { return true }
    return abs(start - end) <= maximumPause
  }

  private static func description(
    records: Int, templates: Int, from first: Int, to last: Int, _ input: DetectionInput
  ) -> String {
    let lines = "lines \(input.records[first].line)–\(input.records[last].line)"
    var span = ""
    if let start = input.records[first].timestamp, let end = input.records[last].timestamp {
      span =
        ", \(TimestampFormatter.readable(epoch: start)) to \(TimestampFormatter.readable(epoch: end))"
    }
    return
      "one of \(records) rare messages in a row (\(templates) different; \(lines)\(span)), reported as one event: a startup, a crash's detail or a change of state"
  }
}
