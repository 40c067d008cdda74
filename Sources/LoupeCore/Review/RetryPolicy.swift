import Foundation

/// When to try a failed call again: up to `maxAttempts` attempts, waiting `initialDelay`
/// seconds after the first failure and `backoffFactor` times longer after each next one, at
/// most `maxDelay`, each wait shortened by a random share up to `jitter` so that many clients
/// do not retry in step. The config's `workflow.retry` section.
public struct RetryPolicy: Sendable, Decodable, Equatable {
  /// Attempts in all, the first included.
  public var maxAttempts = 3
  /// Seconds before the second attempt.
  public var initialDelay: Double = 1
  /// The longest wait.
  public var maxDelay: Double = 30
  /// How much longer each next wait is.
  public var backoffFactor: Double = 2
  /// The largest share of a wait that jitter takes off (0: none).
  public var jitter: Double = 0.25

  enum CodingKeys: String, CodingKey {
    case jitter
    case maxAttempts = "max_attempts"
    case initialDelay = "initial_delay"
    case maxDelay = "max_delay"
    case backoffFactor = "backoff_factor"
  }

  /// The defaults: 3 attempts, 1 s, ×2, at most 30 s, 25% jitter.
  public init() {}

  /// Decodes the section; `jitter` is `true` (25%), `false` (none) or a share in [0, 1].
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    maxAttempts = try container.decodeIfPresent(Int.self, forKey: .maxAttempts) ?? 3
    initialDelay = try container.decodeIfPresent(Double.self, forKey: .initialDelay) ?? 1
    maxDelay = try container.decodeIfPresent(Double.self, forKey: .maxDelay) ?? 30
    backoffFactor = try container.decodeIfPresent(Double.self, forKey: .backoffFactor) ?? 2
    if let flag = try? container.decodeIfPresent(Bool.self, forKey: .jitter) {
      jitter = flag ? 0.25 : 0
    } else {
      jitter = try container.decodeIfPresent(Double.self, forKey: .jitter) ?? 0.25
    }
  }

  /// What is wrong with the policy, or `nil`.
  public var problem: String? {
    if maxAttempts < 1 { return "max_attempts must be at least 1" }
    if initialDelay < 0 || maxDelay < 0 { return "delays must not be negative" }
    if backoffFactor < 1 { return "backoff_factor must be at least 1" }
    if !(0...1).contains(jitter) { return "jitter must be true, false or a share in [0, 1]" }
    return nil
  }

  /// Seconds to wait after failed attempt `attempt` (1-based), before jitter.
  public func baseDelay(after attempt: Int) -> Double {
    min(maxDelay, initialDelay * pow(backoffFactor, Double(max(attempt - 1, 0))))
  }

  /// Seconds to wait after failed attempt `attempt`, with `random` in [0, 1) taking jitter off.
  public func delay(after attempt: Int, random: Double) -> Double {
    baseDelay(after: attempt) * (1 - jitter * random)
  }
}
