package org.jrave.model.blocks;

/** How a convolution's total padding {@code (k - 1) * dilation} is split between past and future. */
public enum PaddingMode {
  /** Half before, half after (one more after for even totals' odd remainder): offline models. */
  CENTERED,
  /** Everything before: the output never depends on future input. */
  CAUSAL,
  /** Everything after. */
  ANTICAUSAL;

  public static PaddingMode parse(String name) {
    return switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "centered" -> CENTERED;
      case "causal" -> CAUSAL;
      case "anticausal" -> ANTICAUSAL;
      default -> throw new IllegalArgumentException(
          "unknown padding mode '" + name + "': use centered, causal or anticausal");
    };
  }
}
