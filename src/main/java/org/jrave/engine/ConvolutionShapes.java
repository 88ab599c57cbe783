package org.jrave.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records the geometry of the 1-D convolutions this thread runs while the recording is open, so
 * that a benchmark can time each distinct one with every {@link ConvolutionKernel}. A measuring
 * scope like {@link ConvolutionCount}.
 */
public final class ConvolutionShapes implements AutoCloseable {

  /** One convolution's geometry and how often it ran. */
  public record Shape(List<Long> input, List<Long> weight, long stride, long padding, long dilation, long groups,
      boolean bias) {

    @Override
    public String toString() {
      return String.format("%s * %s stride %d pad %d%s", input, weight, stride, padding,
          dilation > 1 ? " dil " + dilation : "") + (groups > 1 ? " groups " + groups : "");
    }
  }

  private static final ThreadScopes<ConvolutionShapes> OPEN = new ThreadScopes<>();

  private final ConvolutionShapes enclosing;
  private final Map<Shape, Integer> counts = new LinkedHashMap<>();

  private ConvolutionShapes() {
    this.enclosing = OPEN.enter(this);
  }

  public static ConvolutionShapes record() {
    return new ConvolutionShapes();
  }

  /** The distinct shapes seen, in first-seen order, with their counts. */
  public Map<Shape, Integer> counts() {
    return new LinkedHashMap<>(counts);
  }

  static void add(Tensor input, Tensor weight, long stride, long padding, long dilation, long groups, boolean bias) {
    if (OPEN.current() == null) {
      return;
    }
    Shape s = new Shape(boxed(input.shape()), boxed(weight.shape()), stride, padding, dilation, groups, bias);
    for (ConvolutionShapes c = OPEN.current(); c != null; c = c.enclosing) {
      c.counts.merge(s, 1, Integer::sum);
    }
  }

  private static List<Long> boxed(long[] a) {
    return new ArrayList<>(Arrays.stream(a).boxed().toList());
  }

  @Override
  public void close() {
    OPEN.leave(enclosing);
  }
}
