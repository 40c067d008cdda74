import Foundation

/// Where a run reports how far it is: the input being analysed, the step, and the share of the
/// whole run done. Safe to update from the analysis and read from a display thread.
public final class ProgressSink: @unchecked Sendable {
  private let lock = NSLock()
  private var inputIndex = 0
  private var inputCount = 1
  private var inputName = ""
  private var step = "starting"
  private var withinInput = 0.0

  /// Creates an empty sink.
  public init() {}

  /// Starts input `index` of `count`.
  public func startInput(_ index: Int, of count: Int, name: String) {
    lock.lock()
    inputIndex = index
    inputCount = max(count, 1)
    inputName = name
    step = "reading"
    withinInput = 0
    lock.unlock()
  }

  /// Reaches `step`, `fraction` (0…1) of the way through the current input.
  public func reach(_ step: String, _ fraction: Double) {
    lock.lock()
    self.step = step
    withinInput = max(withinInput, min(1, fraction))
    lock.unlock()
  }

  /// The share of the run done, the input's name and the step.
  public var snapshot: (fraction: Double, input: String, step: String) {
    lock.lock()
    defer { lock.unlock() }
    return ((Double(inputIndex) + withinInput) / Double(inputCount), inputName, step)
  }
}
