import Foundation
import Hummingbird
import Logging
import LoupeStore
import NIOCore

/// The router of `loupe serve`: the web app, the Flask tool's endpoints, the REST API, live
/// ingest, health and metrics, behind the session/CSRF and metrics middleware.
public enum LoupeRoutes {
  /// Builds the router.
  public static func router(_ server: ServerContext) -> Router<LoupeRequestContext> {
    let router = Router(context: LoupeRequestContext.self)
    router.middlewares.add(MetricsMiddleware(metrics: server.metrics))
    router.middlewares.add(BrowserSessionMiddleware(secureCookies: server.settings.secureCookies))
    addWeb(to: router, server)
    addLegacy(to: router, server)
    addAPI(to: router, server)
    addIngest(to: router, server)
    addOperations(to: router, server)
    return router
  }

  /// The application on the settings' host and port; `onRunning` learns the bound port.
  public static func application(
    _ server: ServerContext, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
  ) -> some ApplicationProtocol {
    var logger = Logger(label: "loupe.serve")
    logger.logLevel = .warning
    return Application(
      router: router(server),
      configuration: .init(
        address: .hostname(server.settings.host, port: server.settings.port), serverName: "Loupe"),
      onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
      logger: logger)
  }
}
