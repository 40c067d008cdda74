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
  /// limits, grouping), for commands that take no analysis flags (`serve`).
  /// - Throws: `ValidationError` for an unknown detector, a bad contamination or grouping.
  static func analysisOptions(_ configuration: LoupeConfig) throws -> AnalysisOptions {
    var options = AnalysisOptions()
    if let format = configuration.format { options.read.format = format }
    options.read.logFormat = configuration.logFormat
    if let list = configuration.detectors {
      options.detectors = try list.map { name in
        if let detector = DetectorCatalog.detector(named: name) { return detector.name }
        if SessionAnalysis.detectorNames.contains(name.lowercased()) { return name.lowercased() }
        throw ValidationError("config: unknown detector '\(name)'")
      }
    }
    if let text = configuration.contamination, text.lowercased() != "auto" {
      guard let share = Double(text), share > 0, share <= 0.5 else {
        throw ValidationError("config: contamination must be 'auto' or a share in (0, 0.5]")
      }
      options.contamination = share
    }
    if let seed = configuration.seed { options.seed = seed }
    for (name, thresholds) in configuration.severityThresholds ?? [:] {
      if let detector = DetectorCatalog.detector(named: name) {
        options.severityThresholds[detector.name] = thresholds
      }
    }
    options.customRules = configuration.rules ?? []
    if let limits = configuration.ruleLimits { options.ruleLimits = limits }
    if let key = configuration.sessionKey {
      options.sessions = .key(key)
    } else if let window = configuration.window {
      guard let length = SessionSpec.seconds(window) else {
        throw ValidationError("config: window must be a duration such as 5m")
      }
      let step = configuration.step.flatMap(SessionSpec.seconds) ?? length
      options.sessions = .window(length: length, step: step)
    }
    return options
  }
}
