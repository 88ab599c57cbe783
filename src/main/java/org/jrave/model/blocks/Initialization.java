package org.jrave.model.blocks;

import org.jrave.engine.Device;
import org.jrave.engine.Tensor;

/** PyTorch's default initialisation: uniform in {@code [-bound, bound)} from torch's generator. */
final class Initialization {
  private Initialization() {}

  static Tensor uniform(double bound, long... shape) {
    return Tensor.rand(Device.CPU, shape).mul(2 * bound).sub(bound);
  }
}
