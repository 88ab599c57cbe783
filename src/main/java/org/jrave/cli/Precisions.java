package org.jrave.cli;

import org.jrave.streaming.graph.Precision;

/** The {@code --precision} values of the commands: {@code fp32} (the default) or {@code bf16}. */
final class Precisions {
  private Precisions() {}

  static Precision parse(String value) {
    return switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "fp32", "float32" -> Precision.FLOAT32;
      case "bf16", "bfloat16" -> Precision.BFLOAT16;
      default -> throw new UserError("--precision must be fp32 or bf16, got '" + value + "'");
    };
  }
}
