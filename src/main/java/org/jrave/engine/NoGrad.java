package org.jrave.engine;

import org.bytedeco.pytorch.NoGradGuard;

/**
 * Disables gradient tracking on this thread while open (inference, weight updates by hand).
 * Restores the previous mode on close.
 */
public final class NoGrad implements AutoCloseable {

  private final NoGradGuard guard;

  private NoGrad() {
    Engine.ensureInitialized();
    this.guard = new NoGradGuard();
    // The guard's lifetime is managed explicitly, never by an enclosing pointer scope.
    org.bytedeco.javacpp.PointerScope inner = org.bytedeco.javacpp.PointerScope.getInnerScope();
    if (inner != null) {
      guard.retainReference(); // detaching releases the scope's reference, which would end the guard
      inner.detach(guard);
    }
  }

  public static NoGrad enter() {
    return new NoGrad();
  }

  @Override
  public void close() {
    guard.close();
  }
}
