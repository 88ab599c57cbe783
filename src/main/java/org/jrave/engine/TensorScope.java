package org.jrave.engine;

import org.bytedeco.javacpp.PointerScope;

/**
 * Owns every native tensor created on this thread while it is open, and frees them all when it
 * closes. Wrap each step, block or request in one so that native memory does not grow:
 *
 * <pre>{@code
 * try (TensorScope scope = new TensorScope()) {
 *   Tensor y = model.forward(x);
 *   return y.toFloatArray();          // or scope.keep(y) to hand the tensor to the caller
 * }
 * }</pre>
 *
 * Scopes nest; a tensor moved out with {@link #keep} belongs to the enclosing scope (or, when there
 * is none, to the garbage collector).
 */
public final class TensorScope implements AutoCloseable {

  private final PointerScope scope;

  public TensorScope() {
    Engine.ensureInitialized();
    this.scope = new PointerScope();
  }

  /**
   * Moves {@code tensor} out of this scope into the enclosing one so it survives {@link #close()}.
   */
  public Tensor keep(Tensor tensor) {
    // Detaching releases this scope's reference, which would free the tensor: hold one first.
    tensor.handle().retainReference();
    scope.detach(tensor.handle());
    PointerScope outer = outerScope();
    if (outer != null) {
      outer.attach(tensor.handle());
      tensor.handle().releaseReference();
    }
    return tensor;
  }

  private PointerScope outerScope() {
    var it = PointerScope.getScopeIterator();
    if (it == null) {
      return null;
    }
    boolean seenSelf = false;
    while (it.hasNext()) {
      PointerScope s = it.next();
      if (seenSelf) {
        return s;
      }
      seenSelf = s == scope;
    }
    return null;
  }

  @Override
  public void close() {
    scope.close();
  }
}
