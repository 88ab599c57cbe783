package org.jrave.engine;

/**
 * The open scopes of one kind on each thread, innermost current: for measuring and recording
 * scopes that nest ({@link ConvolutionCount}, {@link ConvolutionShapes}, {@link Recomputation}).
 * A scope enters with {@link #enter} (keeping what it encloses) and leaves with {@link #leave}.
 */
final class ThreadScopes<S> {

  private final ThreadLocal<S> innermost = new ThreadLocal<>();

  /** The innermost open scope on this thread, or null. */
  S current() {
    return innermost.get();
  }

  /** Makes {@code scope} the innermost; returns the scope it encloses (null for none). */
  S enter(S scope) {
    S enclosing = innermost.get();
    innermost.set(scope);
    return enclosing;
  }

  /** Leaves the innermost scope, making {@code enclosing} (what {@link #enter} returned) current again. */
  void leave(S enclosing) {
    if (enclosing == null) {
      innermost.remove();
    } else {
      innermost.set(enclosing);
    }
  }
}
