import ArgumentParser
import Foundation
import LoupeCore

/// `--config FILE`, shared by `analyze` and `train`: the file named, or `loupe.yaml` in the
/// working directory when present.
enum ConfigFileOption {
  /// The settings, empty when there is no file.
  /// - Throws: `ValidationError` naming the file when it is unreadable or invalid.
  static func load(_ path: String?) throws -> LoupeConfig {
    let configPath =
      path ?? (FileManager.default.fileExists(atPath: "loupe.yaml") ? "loupe.yaml" : nil)
    guard let configPath else { return LoupeConfig() }
    do {
      return try LoupeConfig.load(configPath)
    } catch {
      throw ValidationError(error.description)
    }
  }

  /// The analysis settings a config gives (detectors, contamination, seed, thresholds, rules,
  /// limits, grouping): what `analyze` puts its flags over, and all that `serve` and `watch`
  /// use.
  /// - Throws: `ValidationError` for an unknown detector, a bad contamination or grouping.
  static func analysisOptions(_ configuration: LoupeConfig) throws -> AnalysisOptions {
    var options = AnalysisOptions()
    if let format = configuration.format { options.read.format = format }
    options.read.logFormat = configuration.logFormat
    if let list = configuration.detectors { options.detectors = try detectorNames(list) }
    if let text = configuration.contamination { options.contamination = try contamination(text) }
    if let seed = configuration.seed { options.seed = seed }
    for (name, thresholds) in configuration.severityThresholds ?? [:] {
      if let detector = DetectorCatalog.detector(named: name) {
        options.severityThresholds[detector.name] = thresholds
      }
    }
    options.customRules = configuration.rules ?? []
    if let limits = configuration.ruleLimits { options.ruleLimits = limits }
    // The same checks as the flags, with no flags given.
    options.sessions = try SessionOptions.parse([]).spec(
      configKey: configuration.sessionKey, configWindow: configuration.window,
      configStep: configuration.step)
    return options
  }

  /// The detectors a `--detectors` flag or `detectors:` list names, by their canonical names.
  /// - Throws: `ValidationError` naming the first unknown detector and the known ones.
  static func detectorNames(_ list: [String]) throws -> [String] {
    let names = list.map { $0.trimmingCharacters(in: .whitespaces) }
    let unknown = names.filter {
      DetectorCatalog.detector(named: $0) == nil
        && !SessionAnalysis.detectorNames.contains($0.lowercased())
    }
    guard unknown.isEmpty, !names.isEmpty else {
      throw ValidationError(
        "unknown detector '\(unknown.first ?? "")'; known: \((DetectorCatalog.names + ["sequence", "pca", "invariants"]).joined(separator: ", "))"
      )
    }
    return names.compactMap {
      DetectorCatalog.detector(named: $0)?.name
        ?? (SessionAnalysis.detectorNames.contains($0.lowercased()) ? $0.lowercased() : nil)
    }
  }

  /// The share a `--contamination` value or `contamination:` key gives; `nil` for `auto`.
  /// - Throws: `ValidationError` for anything but `auto` or a share in (0, 0.5].
  static func contamination(_ text: String) throws -> Double? {
    guard text.lowercased() != "auto" else { return nil }
    guard let share = Double(text), share > 0, share <= 0.5 else {
      throw ValidationError("--contamination must be 'auto' or a share in (0, 0.5], not '\(text)'")
    }
    return share
  }
}
