import Foundation
import LoupeCore

/// Runs one of Loupe's statistical detectors on a matrix written by
/// `Scripts/outlier_comparison.py` and writes its scores, timing fit + score.
///
/// Usage: `OutlierComparison iforest|lof|autoencoder MATRIX.bin SCORES.bin`, where the matrix
/// file is two little-endian Int64 (rows, columns) followed by row-major Float64 values, and
/// the scores file is one Float64 per row (higher = more anomalous). Prints the seconds taken.
@main
struct OutlierComparison {
  static func main() throws {
    let arguments = CommandLine.arguments
    guard arguments.count == 4 else {
      FileHandle.standardError.write(
        Data("usage: OutlierComparison iforest|lof|autoencoder MATRIX.bin SCORES.bin\n".utf8))
      exit(64)
    }
    let data = try Data(contentsOf: URL(fileURLWithPath: arguments[2]))
    guard data.count >= 16 else { throw ComparisonError.badMatrix }
    let header = data.prefix(16).withUnsafeBytes { Array($0.bindMemory(to: Int64.self)) }
    let rows = Int(header[0])
    let columns = Int(header[1])
    guard rows > 0, columns > 0, data.count == 16 + rows * columns * 8 else {
      throw ComparisonError.badMatrix
    }
    let values = data.dropFirst(16).withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
    let matrix = FeatureMatrix(
      columns: (0..<columns).map { "x\($0)" }, values: values, rowCount: rows)

    let clock = ContinuousClock()
    var scores: [Double] = []
    let elapsed = clock.measure {
      switch arguments[1] {
      case "iforest":
        scores = IsolationForest(matrix: matrix, seed: 42).scores(matrix)
      case "lof":
        scores = LocalOutlierFactor(matrix, k: 20).trainingFactors
      case "autoencoder":
        let standardized = Standardizer(fitting: matrix).transform(matrix)
        let network = Autoencoder(training: standardized, seed: 42)
        scores = network.reconstructionErrors(standardized)
        FileHandle.standardError.write(
          Data(
            "autoencoder: \(network.epochs) epochs, validation error \(network.validationError)\n"
              .utf8))
      default:
        scores = []
      }
    }
    guard scores.count == rows else { throw ComparisonError.unknownDetector(arguments[1]) }
    let output = scores.withUnsafeBufferPointer { Data(buffer: $0) }
    try output.write(to: URL(fileURLWithPath: arguments[3]))
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print(String(format: "%.3f", seconds))
  }
}

enum ComparisonError: Error {
  case badMatrix
  case unknownDetector(String)
}
