import AsyncHTTPClient
import Foundation
import LoupeCore
import NIOCore
import NIOHTTP1

/// POSTs a JSON body to a URL with retries: connection failures, timeouts, 5xx and 429 are
/// tried again after the retry policy's delay (a 429's `Retry-After`, when shorter than the
/// policy's longest wait, is honoured); other statuses fail at once.
public struct WebhookSender: Sendable {
  /// The URL.
  public var url: String
  /// Extra headers.
  public var headers: [(String, String)]
  /// Seconds per attempt.
  public var timeout: Double
  /// When to retry.
  public var retry: RetryPolicy

  /// Creates a sender.
  public init(url: String, headers: [(String, String)], timeout: Double, retry: RetryPolicy) {
    self.url = url
    self.headers = headers
    self.timeout = timeout
    self.retry = retry
  }

  /// Why a POST failed.
  public struct Failure: Error, CustomStringConvertible {
    /// The sentence.
    public var description: String
    /// Whether trying again may help.
    var retryable: Bool
    /// The server's requested wait, from `Retry-After`.
    var retryAfter: Double?
  }

  /// Posts `body`, retrying as the policy allows.
  /// - Returns: the number of attempts made.
  /// - Throws: ``Failure`` with the last attempt's reason.
  @discardableResult
  public func post(_ body: Data) async throws -> Int {
    var attempt = 0
    while true {
      attempt += 1
      do {
        try await once(body)
        return attempt
      } catch let failure as Failure {
        guard failure.retryable, attempt < retry.maxAttempts else {
          throw Failure(
            description:
              "\(failure.description) (after \(attempt) attempt\(attempt == 1 ? "" : "s"))",
            retryable: false)
        }
        var wait = retry.delay(after: attempt, random: Double.random(in: 0..<1))
        if let asked = failure.retryAfter { wait = min(max(wait, asked), retry.maxDelay) }
        try await Task.sleep(for: .milliseconds(Int(wait * 1000)))
      }
    }
  }

  private func once(_ body: Data) async throws {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    request.headers.add(name: "User-Agent", value: "Loupe/\(Loupe.version)")
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    request.body = .bytes(ByteBuffer(bytes: body))
    let response: HTTPClientResponse
    do {
      response = try await HTTPClient.shared.execute(
        request, timeout: .milliseconds(Int64(timeout * 1000)))
    } catch let error as HTTPClientError where error == .deadlineExceeded {
      throw Failure(description: "\(url): no answer within \(timeout) s", retryable: true)
    } catch {
      throw Failure(description: "\(url): \(error)", retryable: true)
    }
    let text = (try? await response.body.collect(upTo: 4096)).map { String(buffer: $0) } ?? ""
    let code = Int(response.status.code)
    guard !(200..<300).contains(code) else { return }
    let retryAfter = response.headers.first(name: "Retry-After").flatMap(Double.init)
    throw Failure(
      description: "\(url) answered \(code) \(text.prefix(200))",
      retryable: code >= 500 || code == 429, retryAfter: retryAfter)
  }
}
