package org.jrave.train;

import java.util.SplittableRandom;
import org.jrave.engine.Device;
import org.jrave.engine.Draws;
import org.jrave.engine.Tensor;

/**
 * The random draws of one training step, made item by item: the draws of item {@code i} of the
 * global batch in the {@code k}-th request of step {@code s} come from a generator of their own,
 * seeded from (run seed, s, k, i). A process holding items {@code [first, first + B)} of the batch
 * therefore draws exactly the slice a single process would, so data-parallel training reaches the
 * same weights whatever the number of processes, and a resumed run draws what the uninterrupted run
 * would have. The numbers come from Java's {@link SplittableRandom}, not torch's generator: the same
 * on every device and platform.
 */
public final class ItemDraws implements Draws {
  private final long stepSeed;
  private final long firstItem;
  private long requests;

  /** Draws of step {@code step} for the items from global position {@code firstItem} on. */
  public ItemDraws(long seed, long step, long firstItem) {
    this.stepSeed = TrainingLoop.mix(seed, step);
    this.firstItem = firstItem;
  }

  @Override
  public Tensor normal(Device device, long... shape) {
    return draw(device, shape, true);
  }

  @Override
  public Tensor uniform(Device device, long... shape) {
    return draw(device, shape, false);
  }

  private Tensor draw(Device device, long[] shape, boolean normal) {
    long request = requests++;
    long perItem = 1;
    for (int d = 1; d < shape.length; d++) {
      perItem *= shape[d];
    }
    if (shape.length == 0 || shape[0] * perItem > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("cannot draw a batch of shape " + java.util.Arrays.toString(shape));
    }
    float[] values = new float[(int) (shape[0] * perItem)];
    int at = 0;
    for (long item = 0; item < shape[0]; item++) {
      SplittableRandom rng = new SplittableRandom(TrainingLoop.mix(TrainingLoop.mix(stepSeed, request), firstItem + item));
      for (long j = 0; j < perItem; j++) {
        values[at++] = normal ? (float) rng.nextGaussian() : rng.nextFloat();
      }
    }
    return Tensor.fromFloats(values, shape).to(device);
  }
}
