package org.jrave.data.transform;

import java.util.random.RandomGenerator;

/** One step of the per-item pipeline on planar audio {@code [channel][frame]}; may work in place. */
@FunctionalInterface
public interface Transform {
  float[][] apply(float[][] audio, RandomGenerator rng);
}
