import ArgumentParser
import LoupeCore

/// The `loupe` command line: a thin layer that parses flags and calls `LoupeCore`.
@main
struct LoupeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "loupe",
    abstract: "Find what is unusual in logs, say why, and how bad.",
    version: Loupe.version,
    subcommands: [
      AnalyzeCommand.self, TrainCommand.self, ParseCommand.self, GenerateCommand.self,
      EvaluateCommand.self, ServeCommand.self, WatchCommand.self,
    ],
    defaultSubcommand: nil)
}
