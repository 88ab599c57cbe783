package org.jrave.model.blocks;

import org.jrave.engine.NoGrad;
import org.jrave.engine.Parameter;
import org.jrave.engine.Tensor;

/**
 * Adaptive instance normalisation (AdaIN) for timbre transfer at inference. Per batch element it
 * keeps running averages of the per-channel mean and (unbiased) standard deviation over time of a
 * source ({@code _x}) and a target ({@code _y}) signal. Once both were learnt, eval-mode inputs are
 * re-normalised from source statistics to target statistics. Training mode is the identity.
 *
 * <p>Which statistics learn is switched from outside (the exported model's attributes); when the
 * target learns, the source update is skipped and the input passes unchanged.
 */
public final class AdaptiveInstanceNormalization extends Layer implements Layer.Pointwise {

  /** Batch elements that have their own statistics. */
  public static final int MAX_BATCH_SIZE = 64;
  private static final double EPS = 1e-5;

  private final Statistics source;
  private final Statistics target;

  public AdaptiveInstanceNormalization(int channels) {
    this.source = new Statistics("x", channels);
    this.target = new Statistics("y", channels);
  }

  public void setLearnSource(boolean on) {
    source.learn.value().fillInPlace(on ? 1 : 0);
  }

  public void setLearnTarget(boolean on) {
    target.learn.value().fillInPlace(on ? 1 : 0);
  }

  /** Forgets the source statistics (means 0, stds 1, no updates). */
  public void resetSource() {
    source.reset();
  }

  /** Forgets the target statistics (means 0, stds 1, no updates). */
  public void resetTarget() {
    target.reset();
  }

  public void reset() {
    resetSource();
    resetTarget();
  }

  @Override
  public Tensor forward(Tensor x) {
    if (isTraining()) {
      return x;
    }
    int batch = (int) x.size(0);
    if (batch > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException("AdaIN keeps statistics for at most " + MAX_BATCH_SIZE
          + " batch elements, got " + batch);
    }
    if (target.learning()) {
      target.update(x);
      return x;
    }
    if (source.learning()) {
      source.update(x);
    }
    if (source.updates() > 0 && target.updates() > 0) {
      Tensor normalized = x.sub(source.mean(batch)).div(source.std(batch).add(EPS));
      return normalized.mul(target.std(batch)).add(target.mean(batch));
    }
    return x;
  }

  /** The buffers of one side: {@code mean_s, std_s [64, C, 1]}, {@code learn_s, num_update_s [1]}. */
  private final class Statistics {
    private final Parameter mean;
    private final Parameter std;
    private final Parameter learn;
    private final Parameter numUpdate;

    Statistics(String side, int channels) {
      this.mean = addBuffer("mean_" + side, Tensor.zeros(MAX_BATCH_SIZE, channels, 1));
      this.std = addBuffer("std_" + side, Tensor.ones(MAX_BATCH_SIZE, channels, 1));
      this.learn = addBuffer("learn_" + side, Tensor.zeros(1));
      this.numUpdate = addBuffer("num_update_" + side, Tensor.zeros(1));
    }

    boolean learning() {
      return learn.value().item() != 0;
    }

    float updates() {
      return numUpdate.value().item();
    }

    Tensor mean(int batch) {
      return mean.value().narrow(0, 0, batch);
    }

    Tensor std(int batch) {
      return std.value().narrow(0, 0, batch);
    }

    /** Running average: {@code stat += (batch stat - stat) / (updates + 1)}. */
    void update(Tensor x) {
      int batch = (int) x.size(0);
      try (NoGrad ignored = NoGrad.enter()) {
        double weight = 1.0 / (updates() + 1);
        Tensor m = mean(batch);
        Tensor s = std(batch);
        m.addInPlace(x.mean(2, true).sub(m), weight);
        s.addInPlace(x.std(2, true, true).sub(s), weight);
        numUpdate.value().addInPlace(Tensor.ones(1).to(x.device()));
      }
    }

    void reset() {
      mean.value().zeroInPlace();
      std.value().fillInPlace(1);
      numUpdate.value().zeroInPlace();
    }
  }
}
