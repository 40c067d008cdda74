import ArgumentParser
import Foundation
import Hummingbird
import LoupeConnect
import LoupeCore
import LoupeServer
import LoupeStore

/// `loupe serve`: the web app and JSON API.
struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Run the web app and JSON API: upload, dashboard, ingest, syslog.",
    discussion: """
      Results are stored in SQLite (default loupe.sqlite in the working directory) or \
      PostgreSQL (--database postgres://user@host:port/db; the password from PGPASSWORD). \
      There is no authentication: keep the default loopback address or put a proxy in front.
      """)

  @Option(help: "The address to listen on.")
  var host = "127.0.0.1"

  @Option(help: "The HTTP port (0 for any free port; the port is printed).")
  var port = 8080

  @Option(help: "sqlite:PATH, a file path, or postgres://user@host:port/db (default loupe.sqlite).")
  var database = "loupe.sqlite"

  @Option(name: .customLong("max-upload-mb"), help: "The largest upload in MB (default 100).")
  var maxUploadMB = 100

  @Option(name: .customLong("syslog-port"), help: "Also receive syslog on this port, TCP and UDP.")
  var syslogPort: Int?

  @Option(name: .customLong("upload-dir"), help: "Where uploads are kept while analysed.")
  var uploadDirectory: String?

  @Flag(name: .customLong("secure-cookies"), help: "Mark cookies Secure (when served over HTTPS).")
  var secureCookies = false

  @Option(help: "A YAML config file (default: loupe.yaml in the working directory, when present).")
  var config: String?

  @Option(
    name: .customLong("alerts-dir"), help: "Where file alert sinks write (default loupe-results).")
  var alertsDirectory = "loupe-results"

  @OptionGroup var followUpOptions: FollowUpOptions

  func validate() throws {
    guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0…65535") }
    if let syslogPort, !(0...65535).contains(syslogPort) {
      throw ValidationError("--syslog-port must be in 0…65535")
    }
    guard maxUploadMB >= 1 else { throw ValidationError("--max-upload-mb must be at least 1") }
  }

  func run() async throws {
    let configuration = try ConfigFileOption.load(config)
    var settings = ServerSettings()
    settings.host = host
    settings.port = port
    settings.maxUploadBytes = maxUploadMB * 1_048_576
    settings.secureCookies = secureCookies
    settings.syslogPort = syslogPort
    settings.analysis = try ConfigFileOption.analysisOptions(configuration)
    if let uploadDirectory {
      try FileManager.default.createDirectory(
        atPath: uploadDirectory, withIntermediateDirectories: true)
      settings.uploadDirectory = uploadDirectory
    }
    let followUp = try followUpOptions.followUp(configuration, outputDirectory: alertsDirectory)
    let store: SQLResultStore
    do {
      store = try await StoreOpener.open(database)
    } catch {
      FileHandle.standardError.write(Data("loupe: \(error)\n".utf8))
      throw ExitCode(1)
    }
    let server = ServerContext(store: store, settings: settings, followUp: followUp)
    var listener: SyslogListener?
    if let syslogPort {
      let stream = settings.syslogStream
      do {
        listener = try await SyslogListener(host: host, port: syslogPort) { lines in
          guard
            (try? await store.appendIngest(
              stream: stream, lines: lines, at: Date().timeIntervalSince1970)) != nil
          else { return }
          server.metrics.ingested(lines.count, stream: stream)
          await server.streams.notify(stream)
        }
      } catch {
        FileHandle.standardError.write(
          Data("loupe: cannot listen for syslog on port \(syslogPort): \(error)\n".utf8))
        throw ExitCode(1)
      }
    }
    let syslogNote = listener.map { ", syslog on port \($0.port) (TCP and UDP)" } ?? ""
    let databaseName = StoreError.redacted(database)
    let app = LoupeRoutes.application(server) { port in
      FileHandle.standardOutput.write(
        Data(
          "loupe serve: listening on http://\(host):\(port) (database \(databaseName)\(syslogNote))\n"
            .utf8))
    }
    do {
      try await app.runService()
    } catch {
      FileHandle.standardError.write(Data("loupe: the server stopped: \(error)\n".utf8))
      await listener?.stop()
      await store.close()
      throw ExitCode(1)
    }
    await listener?.stop()
    await store.close()
  }
}
