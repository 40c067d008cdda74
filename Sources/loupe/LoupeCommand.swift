import ArgumentParser
import LoupeCore

@main
struct LoupeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "loupe")
}
