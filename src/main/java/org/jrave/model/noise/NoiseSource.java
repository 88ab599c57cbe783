package org.jrave.model.noise;

import org.jrave.engine.Device;
import org.jrave.engine.Tensor;

/**
 * Where a noise generator gets its uniform draws in [0, 1). Random by default; {@link #SILENT}
 * draws 0.5 everywhere, which makes the filtered noise exactly zero (deterministic decoding).
 */
@FunctionalInterface
public interface NoiseSource {

  Tensor uniform(Device device, long... shape);

  NoiseSource RANDOM = Tensor::rand;

  NoiseSource SILENT = (device, shape) -> Tensor.full(0.5, shape).to(device);
}
