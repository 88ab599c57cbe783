package org.jrave.cli;

import java.util.function.Supplier;
import org.jrave.interop.TorchScriptModel;

/**
 * Runs a codec call and turns its input complaints (wrong shapes, missing methods) and the failures
 * of a TorchScript model file into user errors.
 */
final class Codecs {
  private Codecs() {}

  static <T> T run(Supplier<T> call) {
    try {
      return call.get();
    } catch (IllegalArgumentException | TorchScriptModel.ModelFailure e) {
      throw new UserError(e.getMessage(), e);
    }
  }
}
