package org.jrave.golden;

import org.jrave.engine.Module;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Parameter;
import org.jrave.engine.Tensor;

/**
 * Converts a module's float32 parameters and buffers to float64 in place, for the golden README's
 * float64 replay of a training step (the reference's float64 run started from the same float32
 * weights). Modules read their parameters through {@link Parameter#value()}, so they compute in
 * float64 from then on; training mode folds no weight caches.
 */
final class Float64 {
  private Float64() {}

  static void convert(Module module) {
    try (NoGrad ignored = NoGrad.enter()) {
      for (Parameter p : module.stateEntries().values()) {
        if (p.value().isFloat()) {
          Tensor wide = p.value().toDouble().detach();
          p.replace(p.trainable() ? wide.requiresGrad(true) : wide);
        }
      }
    }
  }
}
