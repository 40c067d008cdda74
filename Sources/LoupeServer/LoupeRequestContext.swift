import Hummingbird
import Logging
import NIOCore

/// The request context: Hummingbird's core storage plus the browser session the request
/// belongs to (set by ``BrowserSessionMiddleware``).
public struct LoupeRequestContext: RequestContext {
  /// Hummingbird's storage.
  public var coreContext: CoreRequestContextStorage
  /// The browser session id, when the request carries (or was given) one.
  public var sessionID: String?
  /// Whether the session cookie came with the request (so CSRF protection applies).
  public var cookieSent = false
  /// The session's CSRF token.
  public var csrfToken: String?

  /// Creates a context.
  public init(source: Source) {
    coreContext = .init(source: source)
  }

  /// Uploads are streamed and limited by the server's own setting, not collected here.
  public var maxUploadSize: Int { 16 * 1024 * 1024 }
}
