/// Runs of records that detectors report once (a brute force, a port scan): the marked
/// places grouped into runs, and a run's span in words.
enum RecordRuns {
  /// The runs of consecutive marked `places` (record indices, in order).
  static func group(_ places: [Int], marked: [Bool]) -> [[Int]] {
    var runs: [[Int]] = []
    var current: [Int] = []
    for (index, place) in places.enumerated() {
      if marked[index] {
        current.append(place)
      } else if !current.isEmpty {
        runs.append(current)
        current = []
      }
    }
    if !current.isEmpty { runs.append(current) }
    return runs
  }

  /// "in 4 min (2024-01-15 02:46:45 to 2024-01-15 02:50:45)", or "in lines 12–80" without
  /// timestamps.
  static func span(from first: Int, to last: Int, _ input: DetectionInput) -> String {
    if let start = input.records[first].timestamp, let end = input.records[last].timestamp {
      let from = TimestampFormatter.readable(epoch: start)
      let to = TimestampFormatter.readable(epoch: end)
      return "in \(ReasonText.duration(end - start)) (\(from) to \(to))"
    }
    return "in lines \(input.records[first].line)–\(input.records[last].line)"
  }
}
