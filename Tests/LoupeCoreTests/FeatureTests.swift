import Foundation
import Testing

@testable import LoupeCore

@Suite struct FeatureTests {
  @Test func parameterDeviationComparesAParameterWithItsOwnTemplate() throws {
    var lines: [String] = []
    for index in 0..<400 {
      let time = String(format: "2024-01-15 08:%02d:%02d", index / 60 % 60, index % 60)
      let latency = index == 200 ? 9000 : 20 + index % 40
      lines.append("\(time) INFO [Api] request \(index * 7919 % 100_000) served in \(latency) ms")
      lines.append("\(time) INFO [Db] pool has \(index % 5) idle connections")
    }
    let result = try Analyzer(
      options: {
        var options = AnalysisOptions()
        options.detectors = []
        return options
      }()
    ).analyze(Fixtures.buffer(lines.joined(separator: "\n") + "\n"))
    let features = RecordFeatures.build(
      result.read.records, buffer: result.read.buffer, templates: result.templates,
      numericFields: nil)
    let column = try #require(features.columns.firstIndex(of: "parameter_deviation"))
    let deviations = (0..<features.rowCount).map { features[$0, column] }
    let spike = try #require(result.read.records.firstIndex { $0.line == 401 })
    #expect(deviations[spike] > 5)
    // Ordinary latencies and uniformly drawn request ids are not deviations.
    #expect(deviations.enumerated().filter { $0.offset != spike }.allSatisfy { $0.element == 0 })
  }

  /// Quantities with their units count by their number, times and sizes on one scale.
  @Test func quantitiesWithUnitsAreParameters() {
    let bytes = Array("3.456ms 2.5s 512KB 97% 12 G1 0x1f".utf8)
    let values = bytes.withUnsafeBufferPointer { buffer in
      [(0, 7), (8, 12), (13, 18), (19, 22), (23, 25), (26, 28), (29, 33)].map {
        ParameterDeviation.measuredValue(buffer, ByteSpan($0.0, $0.1))
      }
    }
    #expect(values == [3.456, 2_500, 524_288, 97, 12, nil, nil])
  }

  @Test func accessFeaturesMethodRarityAndSizeForThePath() throws {
    var lines: [String] = []
    for index in 0..<300 {
      let method = index == 50 ? "PROPFIND" : "GET"
      let size = index == 120 ? 9_000_000 : 5000 + index % 50
      lines.append(
        "10.0.0.\(index % 9) - - [15/Jan/2024:08:00:\(String(format: "%02d", index % 60)) +0000] \"\(method) /index.html?x=\(index) HTTP/1.1\" 200 \(size) \"-\" \"curl/8\""
      )
    }
    var options = AnalysisOptions()
    options.detectors = []
    let result = try Analyzer(options: options).analyze(
      Fixtures.buffer(lines.joined(separator: "\n") + "\n"))
    let features = RecordFeatures.build(
      result.read.records, buffer: result.read.buffer, templates: result.templates,
      numericFields: nil)
    let columns = features.columns
    let method = try #require(columns.firstIndex(of: "method_rarity"))
    let bytes = try #require(columns.firstIndex(of: "bytes_z"))
    #expect(features[50, method] > 7)
    #expect(features[51, method] < 0.01)
    #expect(features[120, bytes] > 20)
    #expect(abs(features[121, bytes]) < 5)
  }

  /// A template is called rare only under 1% of the records; one merely less common than most
  /// is called that.
  @Test func templateRarityIsWordedByItsShare() {
    // Rarity is −log₂ of the template's share: most records' templates hold a fifth of them.
    let shares = [0.2, 0.2, 0.21, 0.19, 0.2, 0.2, 0.1, 0.002]
    let matrix = FeatureMatrix(
      columns: ["template_rarity"], values: shares.map { -log2($0) }, rowCount: shares.count)
    let statistics = ColumnStatistics(matrix)
    #expect(
      statistics.explain(row: 6, in: matrix, records: 10_000)
        == "a less common message template (about 1000 of 10000 records; typical 2000)")
    #expect(
      statistics.explain(row: 7, in: matrix, records: 10_000)
        == "rare message template (about 20 of 10000 records)")
  }
}
