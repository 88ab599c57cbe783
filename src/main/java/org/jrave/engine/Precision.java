package org.jrave.engine;

import java.util.Locale;
import org.bytedeco.pytorch.global.torch;

/**
 * The number format a model's convolutions run in at inference. {@link #FP32} is the reference's
 * and the default; {@link #BF16} keeps float32's range with an 8-bit mantissa and runs about twice
 * as fast on CPUs with AVX512-BF16 (oneDNN's bfloat16 convolutions). Parameters stay float32; a
 * model set to bfloat16 converts copies of its convolution weights once (see
 * {@link Module#setPrecision}).
 */
public enum Precision {
  FP32,
  BF16;

  /** {@code fp32} or {@code bf16} (case-insensitive). */
  public static Precision parse(String name) {
    for (Precision p : values()) {
      if (p.label().equalsIgnoreCase(name.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown precision '" + name + "' (use fp32 or bf16)");
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  // A method, not a field: touching torch's enums loads the natives, which Engine must do first.
  torch.ScalarType scalarType() {
    return switch (this) {
      case FP32 -> torch.ScalarType.Float;
      case BF16 -> torch.ScalarType.BFloat16;
    };
  }
}
