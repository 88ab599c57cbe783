package org.jrave.cli;

import java.util.function.Supplier;

/** Runs a codec call and turns its input complaints (wrong shapes, missing methods) into user errors. */
final class Codecs {
  private Codecs() {}

  static <T> T run(Supplier<T> call) {
    try {
      return call.get();
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
  }
}
