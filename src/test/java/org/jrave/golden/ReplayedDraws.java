package org.jrave.golden;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.jrave.engine.Device;
import org.jrave.engine.Draws;
import org.jrave.engine.Tensor;

/**
 * Hands a training step the reference's recorded random draws, in the order the reference consumed
 * them. Asking for another distribution, another shape or one draw too many fails the test: a
 * replay that silently served mismatched noise would prove nothing.
 */
final class ReplayedDraws implements Draws {

  enum Distribution { NORMAL, UNIFORM }

  /** One recorded draw: its distribution and values. */
  record Recorded(String name, Distribution distribution, Tensor values) {}

  private final Deque<Recorded> pending;

  ReplayedDraws(List<Recorded> draws) {
    this.pending = new ArrayDeque<>(draws);
  }

  @Override
  public Tensor normal(Device device, long... shape) {
    return next(Distribution.NORMAL, shape).to(device);
  }

  @Override
  public Tensor uniform(Device device, long... shape) {
    return next(Distribution.UNIFORM, shape).to(device);
  }

  /** Fails unless every recorded draw was consumed. */
  void requireAllConsumed() {
    if (!pending.isEmpty()) {
      throw new AssertionError("the step consumed fewer draws than the reference: " + pending.peek().name()
          + " and " + (pending.size() - 1) + " more were never asked for");
    }
  }

  private Tensor next(Distribution distribution, long[] shape) {
    Recorded r = pending.poll();
    if (r == null) {
      throw new AssertionError("the step asked for a " + distribution + " draw " + Arrays.toString(shape)
          + " after the reference's last one");
    }
    if (r.distribution() != distribution || !Arrays.equals(r.values().shape(), shape)) {
      throw new AssertionError("the step asked for a " + distribution + " draw " + Arrays.toString(shape)
          + " where the reference drew " + r.name() + ", " + r.distribution() + " " + Arrays.toString(r.values().shape()));
    }
    return r.values();
  }
}
