import ArgumentParser
import Foundation
import LoupeCore

/// `--state FILE`: templates carried from run to run.
enum StateFileOption {
  /// The state in `path`, or `nil` when there is no such file yet.
  /// - Throws: `ExitCode(1)` after printing the reason when the file is unreadable, malformed
  ///   or of a newer version.
  static func load(_ path: String?) throws -> TemplateState? {
    guard let path, FileManager.default.fileExists(atPath: path) else { return nil }
    do {
      return try TemplateState.load(path)
    } catch {
      FileHandle.standardError.write(Data("loupe: \(error.description)\n".utf8))
      throw ExitCode(1)
    }
  }

  /// Saves `state` to `path`, printing a one-line error when that fails.
  static func save(_ state: TemplateState?, to path: String?) throws {
    guard let path, let state else { return }
    do {
      try state.save(to: path)
    } catch {
      FileHandle.standardError.write(
        Data(
          "loupe: \(path): cannot write the template state: \(error.localizedDescription)\n".utf8))
      throw ExitCode(1)
    }
  }
}
