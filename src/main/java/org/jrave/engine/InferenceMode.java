package org.jrave.engine;

/**
 * libtorch's inference mode on this thread while open: no gradient tracking and no view or
 * version bookkeeping, as a plug-in host runs a model. Tensors made inside may only be used in
 * inference mode afterwards, so open it around a whole run (warm-up included), never around a
 * part of one. Restores the previous mode on close.
 */
public final class InferenceMode implements AutoCloseable {

  private final org.bytedeco.pytorch.InferenceMode guard;

  private InferenceMode() {
    Engine.ensureInitialized();
    this.guard = new org.bytedeco.pytorch.InferenceMode();
    // The guard's lifetime is managed explicitly, never by an enclosing pointer scope.
    org.bytedeco.javacpp.PointerScope inner = org.bytedeco.javacpp.PointerScope.getInnerScope();
    if (inner != null) {
      guard.retainReference(); // detaching releases the scope's reference, which would end the guard
      inner.detach(guard);
    }
  }

  public static InferenceMode enter() {
    return new InferenceMode();
  }

  @Override
  public void close() {
    guard.close();
  }
}
