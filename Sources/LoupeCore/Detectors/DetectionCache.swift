import Foundation

/// What several detectors derive from one input — each template's wording
/// (``MessageShape``), the categorical field columns (``FieldRarityDetector``) — computed by the
/// first detector that asks and shared with the rest. Detectors run on two cores: a second
/// caller waits for the first one's result rather than computing it again.
public final class DetectionCache: @unchecked Sendable {
  private let shapesLock = NSLock()
  private var shapes: [MessageShape.Kind]?
  private let columnsLock = NSLock()
  private var columns: [FieldRarityDetector.Column]?

  /// An empty cache, for one input.
  public init() {}

  /// The templates' shapes, from `compute` the first time.
  func shapes(_ compute: () -> [MessageShape.Kind]) -> [MessageShape.Kind] {
    shapesLock.lock()
    defer { shapesLock.unlock() }
    if let shapes { return shapes }
    let computed = compute()
    shapes = computed
    return computed
  }

  /// The categorical columns, from `compute` the first time.
  func categoricalColumns(_ compute: () -> [FieldRarityDetector.Column])
    -> [FieldRarityDetector.Column]
  {
    columnsLock.lock()
    defer { columnsLock.unlock() }
    if let columns { return columns }
    let computed = compute()
    columns = computed
    return computed
  }
}
