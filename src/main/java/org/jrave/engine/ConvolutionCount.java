package org.jrave.engine;

/**
 * Counts the arithmetic of the convolutions this thread runs while the count is open: 2 FLOPs per
 * multiply-add, {@code 2 Cout Cin/groups k Tout} per 1-D convolution (per output position for
 * 2-D ones) and {@code 2 Cin Cout/groups k Tin} per transposed convolution. A measuring scope, like
 * {@link NoGrad}: counts nest, and an enclosing count includes what inner ones saw.
 *
 * <pre>{@code
 * try (ConvolutionCount count = ConvolutionCount.open()) {
 *   model.forward(x);
 *   return count.flops();
 * }
 * }</pre>
 */
public final class ConvolutionCount implements AutoCloseable {

  private static final ThreadScopes<ConvolutionCount> OPEN = new ThreadScopes<>();

  private final ConvolutionCount enclosing;
  private long flops;

  private ConvolutionCount() {
    this.enclosing = OPEN.enter(this);
  }

  public static ConvolutionCount open() {
    return new ConvolutionCount();
  }

  /** Floating-point operations counted so far. */
  public long flops() {
    return flops;
  }

  static boolean counting() {
    return OPEN.current() != null;
  }

  static void add(long flops) {
    for (ConvolutionCount c = OPEN.current(); c != null; c = c.enclosing) {
      c.flops += flops;
    }
  }

  @Override
  public void close() {
    OPEN.leave(enclosing);
  }
}
