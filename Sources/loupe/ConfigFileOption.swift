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
}
