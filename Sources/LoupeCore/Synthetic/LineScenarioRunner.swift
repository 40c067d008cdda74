/// The loop every line-labelled scenario shares: an optional header, then one line per clock
/// tick, normal or part of an anomaly burst chosen by the ``AnomalyPlanner``, each labelled.
struct LineScenarioRunner {
  var settings: GeneratorSettings
  var kinds: [AnomalyKind]
  var header: String?
  var eventsPerSecond: Double = 2

  /// Writes the lines.
  /// - Parameters:
  ///   - normal: writes one normal line (without the line break) for a time.
  ///   - anomaly: writes one line of an anomaly: kind, step in the burst, burst seed, time.
  func run(
    output: inout LineWriter, labels: inout LabelWriter?,
    normal: (inout LineWriter, inout SeededRandom, Double) -> Void,
    anomaly: (inout LineWriter, inout SeededRandom, Double, String, Int, Int) -> Void
  ) throws(LineWriter.WriteError) -> GenerationSummary {
    var random = SeededRandom(seed: settings.seed)
    var clock = SyntheticClock(start: settings.start, eventsPerSecond: eventsPerSecond)
    let planner = AnomalyPlanner(kinds: kinds, rate: settings.anomalyRate)
    var summary = GenerationSummary(lines: 0, anomalousLines: 0, kinds: [:])
    var line = 0
    if let header, settings.lines > 0 {
      output.append(header)
      try output.endLine()
      line = 1
    }
    while line < settings.lines {
      if let (kind, length) = planner.next(&random) {
        let burstSeed = random.nextIndex(1 << 20)
        for step in 0..<min(length, settings.lines - line) {
          let time = clock.tick(&random)
          anomaly(&output, &random, time, kind.name, step, burstSeed)
          try output.endLine()
          line += 1
          try labels?.line(line, kind: kind.name)
          summary.anomalousLines += 1
          summary.kinds[kind.name, default: 0] += 1
        }
      } else {
        normal(&output, &random, clock.tick(&random))
        try output.endLine()
        line += 1
        try labels?.line(line, kind: nil)
      }
    }
    try output.close()
    try labels?.finish()
    summary.lines = line
    return summary
  }
}
