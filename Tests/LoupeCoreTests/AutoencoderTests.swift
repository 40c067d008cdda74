import Testing

@testable import LoupeCore

@Suite struct AutoencoderTests {
  /// Rows on a 2-dimensional plane inside 6 dimensions, and rows pushed off it.
  func planted(rows: Int, seed: UInt64) -> (FeatureMatrix, Set<Int>) {
    var random = SeededRandom(seed: seed)
    var values: [Double] = []
    var outliers = Set<Int>()
    for row in 0..<rows {
      let a = random.nextGaussian()
      let b = random.nextGaussian()
      let off = row % 50 == 25
      if off { outliers.insert(row) }
      for column in 0..<6 {
        let onPlane = a * Double(column % 3 + 1) + b * Double(2 - column % 2)
        values.append(onPlane + (off ? 2.5 * random.nextGaussian() : 0.02 * random.nextGaussian()))
      }
    }
    return (
      FeatureMatrix(columns: (0..<6).map { "c\($0)" }, values: values, rowCount: rows), outliers
    )
  }

  func rocAUC(_ scores: [Double], _ positives: Set<Int>) -> Double {
    var wins = 0.0
    var pairs = 0.0
    for positive in positives {
      for negative in scores.indices where !positives.contains(negative) {
        pairs += 1
        if scores[positive] > scores[negative] { wins += 1 }
        if scores[positive] == scores[negative] { wins += 0.5 }
      }
    }
    return wins / pairs
  }

  @Test func reconstructsThePlaneAndNotTheRowsOffIt() {
    let (matrix, outliers) = planted(rows: 1000, seed: 4)
    let standardized = Standardizer(fitting: matrix).transform(matrix)
    var settings = Autoencoder.Settings()
    settings.hidden = [8, 2, 8]
    settings.maximumEpochs = 40
    settings.batchSize = 64
    settings.learningRate = 0.01
    let network = Autoencoder(training: standardized, settings: settings, seed: 1)
    let errors = network.reconstructionErrors(standardized)
    #expect(rocAUC(errors, outliers) > 0.97)
    #expect(network.epochs >= 2 && network.epochs <= 40)
    #expect(network.validationErrors.count == 100)
    // Deterministic for a seed.
    let again = Autoencoder(training: standardized, settings: settings, seed: 1)
    #expect(again.reconstructionErrors(standardized) == errors)
  }

  @Test func gradientMatchesFiniteDifferences() {
    let (matrix, _) = planted(rows: 40, seed: 9)
    var settings = Autoencoder.Settings()
    settings.hidden = [4, 3, 4]
    settings.maximumEpochs = 1
    let network = Autoencoder(training: matrix, settings: settings, seed: 3)
    let rows = Array(0..<40)
    let gradient = network.gradient(matrix, rows[...])
    func loss(_ parameters: [Double]) -> Double {
      var copy = network
      copy.parameters = parameters
      let errors = copy.reconstructionErrors(matrix)
      return errors.reduce(0, +) / Double(errors.count)
    }
    for index in stride(from: 0, to: network.parameters.count, by: 7) {
      var plus = network.parameters
      var minus = network.parameters
      plus[index] += 1e-5
      minus[index] -= 1e-5
      let numeric = (loss(plus) - loss(minus)) / 2e-5
      #expect(abs(numeric - gradient[index]) < 1e-5 + 1e-3 * abs(numeric), "parameter \(index)")
    }
  }

  @Test func severityThresholdsPerDetector() {
    let forest = SeverityThresholds.forDetector("iforest")
    #expect(forest.severity(0.96) == .critical && forest.severity(0.9) == .high)
    #expect(forest.severity(0.7) == .medium && forest.severity(0.46) == .low)
    #expect(forest.severity(0.44) == nil)
    let autoencoder = SeverityThresholds.forDetector("autoencoder")
    #expect(autoencoder.severity(0.41) == .low && autoencoder.severity(0.76) == .high)
    let custom = SeverityThresholds(critical: 0.99, high: 0.98, medium: 0.97, low: 0.2)
    let hits = [
      DetectorReport(
        name: "iforest", parameters: [:],
        hits: [DetectorHit(record: 3, score: 0.9, reason: "x", tags: [])], scores: nil),
      DetectorReport(
        name: "rules", parameters: [:],
        hits: [
          DetectorHit(record: 3, score: 0.8, reason: "y", tags: ["error"]),
          DetectorHit(record: 5, score: 0.3, reason: "z", tags: []),
        ], scores: nil),
    ]
    let findings = Scorer.combine(hits)
    #expect(findings.map(\.record) == [3])
    #expect(findings.first?.severity == .high)
    #expect(abs((findings.first?.score ?? 0) - 0.93) < 1e-9)
    // A detector that fires twice on a record counts once: its strongest hit, both reasons.
    let twice = Scorer.combine(
      hits + [
        DetectorReport(
          name: "rules", parameters: [:],
          hits: [DetectorHit(record: 3, score: 0.6, reason: "again", tags: ["more"])], scores: nil)
      ])
    #expect(twice.first?.detectors == ["iforest", "rules"])
    #expect(abs((twice.first?.score ?? 0) - 0.93) < 1e-9)
    #expect(twice.first?.reason.contains("rules: y; again") == true)
    #expect(twice.first?.tags.contains("more") == true)
    let overridden = Scorer.combine(hits, thresholds: ["iforest": custom, "rules": custom])
    #expect(overridden.map(\.record) == [3, 5])
    #expect(overridden.allSatisfy { $0.severity == .low })
  }
}
