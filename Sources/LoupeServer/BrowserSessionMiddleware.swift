import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// Browser sessions, CSRF protection and security headers.
///
/// - Every request gets a session: the `loupe_session` cookie (random, `HttpOnly`,
///   `SameSite=Strict`, `Secure` when configured), created when missing. Analyses uploaded in
///   a session belong to it; `POST /clear-session` forgets them.
/// - A state-changing request (`POST`, `PUT`, `DELETE`) that carries the session cookie must
///   also carry the session's CSRF token, as the form field `csrf_token` (checked by the
///   handlers that read forms) or the `X-CSRF-Token` header; requests without the cookie (API
///   clients, scripts) hold no ambient authority and need none.
/// - Responses carry `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`,
///   `X-Frame-Options: DENY` and, for HTML, a strict Content-Security-Policy (set by the pages).
public struct BrowserSessionMiddleware: RouterMiddleware {
  public typealias Context = LoupeRequestContext

  static let cookieName = "loupe_session"
  let secret: [UInt8]
  let secureCookies: Bool

  /// Creates the middleware with a fresh secret for this server's CSRF tokens.
  public init(secureCookies: Bool) {
    secret = (0..<32).map { _ in UInt8.random(in: 0...255) }
    self.secureCookies = secureCookies
  }

  /// The CSRF token of a session: an HMAC of its id under the server's secret.
  func token(for session: String) -> String {
    let mac = HMAC<SHA256>.authenticationCode(
      for: Data(session.utf8), using: SymmetricKey(data: secret))
    return Data(mac).map { String(format: "%02x", $0) }.joined()
  }

  static func validSessionID(_ text: String) -> Bool {
    text.count == 32 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
  }

  /// Sets up the session, checks the CSRF header where it applies, adds the headers.
  public func handle(
    _ request: Request, context: Context,
    next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    var context = context
    var created: String?
    if let cookie = request.cookies[Self.cookieName]?.value, Self.validSessionID(cookie) {
      context.sessionID = cookie
      context.cookieSent = true
    } else {
      let id = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
      context.sessionID = id
      created = id
    }
    context.csrfToken = context.sessionID.map(token(for:))
    var response = try await next(request, context)
    if let created {
      response.setCookie(
        Cookie(
          name: Self.cookieName, value: created, path: "/", secure: secureCookies, httpOnly: true,
          sameSite: .strict))
    }
    response.headers[.xContentTypeOptions] = "nosniff"
    response.headers[.referrerPolicy] = "no-referrer"
    response.headers[.xFrameOptions] = "DENY"
    return response
  }
}

extension LoupeRequestContext {
  /// Whether a state-changing request passes the CSRF check with `formToken` (the form's
  /// `csrf_token`, when the handler read one) or the `X-CSRF-Token` header.
  func csrfPasses(_ request: Request, formToken: String? = nil) -> Bool {
    guard cookieSent else { return true }
    guard let expected = csrfToken else { return false }
    let given = formToken ?? request.headers[.csrfToken] ?? ""
    return constantTimeEqual(given, expected)
  }
}

/// Compares two strings in time that depends only on their lengths.
func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
  let left = Array(lhs.utf8)
  let right = Array(rhs.utf8)
  guard left.count == right.count else { return false }
  var difference: UInt8 = 0
  for index in left.indices { difference |= left[index] ^ right[index] }
  return difference == 0
}

/// Header names used here; literal valid tokens, so the failable initializer cannot fail.
extension HTTPField.Name {
  static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
  static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
  static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
  static let csrfToken = HTTPField.Name("X-CSRF-Token")!
}
