import Foundation

/// What several detectors derive from one input — each template's wording
/// (``MessageShape``), the categorical field columns (``FieldRarityDetector``), the numbers in
/// the templates' parameters (``ParameterDeviation``) — computed by the
/// first detector that asks and shared with the rest. Detectors run on two cores: a second
/// caller waits for the first one's result rather than computing it again.
public final class DetectionCache: Sendable {
  private let shapes = Memo<[MessageShape.Kind]>()
  private let columns = Memo<[FieldRarityDetector.Column]>()
  private let parameters = Memo<ParameterDeviation.Values>()

  /// An empty cache, for one input.
  public init() {}

  /// The templates' shapes, from `compute` the first time.
  func shapes(_ compute: () -> [MessageShape.Kind]) -> [MessageShape.Kind] {
    shapes.value(compute)
  }

  /// The numeric values of the records' template parameters, from `compute` the first time.
  func parameterValues(_ compute: () -> ParameterDeviation.Values) -> ParameterDeviation.Values {
    parameters.value(compute)
  }

  /// The categorical columns, from `compute` the first time.
  func categoricalColumns(_ compute: () -> [FieldRarityDetector.Column])
    -> [FieldRarityDetector.Column]
  {
    columns.value(compute)
  }
}

/// One value computed on first use, under a lock, and kept.
private final class Memo<Value: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: Value?

  func value(_ compute: () -> Value) -> Value {
    lock.lock()
    defer { lock.unlock() }
    if let stored { return stored }
    let computed = compute()
    stored = computed
    return computed
  }
}
