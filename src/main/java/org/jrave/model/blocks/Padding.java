package org.jrave.model.blocks;

/**
 * Zeros added before ({@code left}) and after ({@code right}) the input of a convolution.
 *
 * <p>The reference's rule: a kernel of size k with dilation d spans {@code p = (k - 1) d + 1}
 * samples; centered padding is {@code ((p - 1) / 2, p / 2)}, so even kernels get one more zero on
 * the right (k = 8 gives (3, 4)); causal puts all {@code p - 1} on the left; k = 1 never pads.
 */
public record Padding(int left, int right) {

  public static final Padding NONE = new Padding(0, 0);

  public Padding {
    if (left < 0 || right < 0) {
      throw new IllegalArgumentException("padding must be non-negative: (" + left + ", " + right + ")");
    }
  }

  public static Padding of(int kernel, int dilation, PaddingMode mode) {
    if (kernel == 1) {
      return NONE;
    }
    int span = (kernel - 1) * dilation + 1;
    return switch (mode) {
      case CENTERED -> new Padding((span - 1) / 2, span / 2);
      case CAUSAL -> new Padding(span - 1, 0);
      case ANTICAUSAL -> new Padding(0, span - 1);
    };
  }

  public int total() {
    return left + right;
  }
}
