package org.jrave.train.loss;

import java.util.ArrayList;
import java.util.List;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;

/**
 * The reference's spectral reconstruction distance {@code AudioDistanceV1} (spec 4.9): summed over
 * the STFT scales, a relative squared error of magnitudes ({@code mean((X-Y)^2) / mean(X^2)}) plus
 * an L1 distance of log magnitudes ({@code mean|ln(X+eps) - ln(Y+eps)|}). The first argument is the
 * target: the relative term is normalised by its energy.
 */
public final class AudioDistance implements AutoCloseable {

  /** The two terms of one scale, for inspection and tests. */
  public record ScaleTerms(Tensor linear, Tensor log) {}

  private final MultiScaleStft stft;
  private final double logEpsilon;

  public AudioDistance(MultiScaleStft stft, double logEpsilon) {
    this.stft = stft;
    this.logEpsilon = logEpsilon;
  }

  /** The reference's default: scales 2048..128 and the given epsilon (1e-7, or 1 for discrete). */
  public static AudioDistance reference(double logEpsilon) {
    return new AudioDistance(new MultiScaleStft(MultiScaleStft.SCALES), logEpsilon);
  }

  /** {@code D(target, estimate)}, a scalar tensor (differentiable in both arguments). */
  public Tensor distance(Tensor target, Tensor estimate) {
    return distance(target, estimate, BatchMean.LOCAL);
  }

  /** As {@link #distance(Tensor, Tensor)}, its means taken over the whole batch by {@code means}. */
  public Tensor distance(Tensor target, Tensor estimate, BatchMean means) {
    Tensor total = null;
    for (ScaleTerms t : terms(target, estimate, means)) {
      Tensor scale = t.linear().add(t.log());
      total = total == null ? scale : total.add(scale);
    }
    return total;
  }

  /**
   * Backpropagates {@code weight * D(target, estimate)} into the gradient of {@code estimate} (a
   * leaf standing for a network's output) one scale at a time, each scale's spectra freed before
   * the next, and returns the value of {@code D}.
   */
  public double backwardByScale(Tensor target, Tensor estimate, BatchMean means, double weight) {
    double total = 0;
    for (int n : stft.scalesFor(target)) {
      try (TensorScope scope = new TensorScope()) {
        ScaleTerms t = scaleTerms(target, estimate, means, n);
        Tensor scale = t.linear().add(t.log());
        total += scale.itemDouble();
        if (weight != 0) {
          scale.mul(weight).backward();
        }
      }
    }
    return total;
  }

  /** Per-scale terms, in scale order. */
  public List<ScaleTerms> terms(Tensor target, Tensor estimate) {
    return terms(target, estimate, BatchMean.LOCAL);
  }

  private List<ScaleTerms> terms(Tensor target, Tensor estimate, BatchMean means) {
    List<ScaleTerms> out = new ArrayList<>();
    for (int n : stft.scalesFor(target)) {
      // Each scale's spectra and temporaries are freed as soon as its two terms exist (autograd
      // keeps what their gradients need): holding all scales' intermediates until the end of the
      // step cost about 2 GB at batch 8 x 131072.
      try (TensorScope scope = new TensorScope()) {
        ScaleTerms t = scaleTerms(target, estimate, means, n);
        out.add(new ScaleTerms(scope.keep(t.linear()), scope.keep(t.log())));
      }
    }
    return out;
  }

  private ScaleTerms scaleTerms(Tensor target, Tensor estimate, BatchMean means, int n) {
    Tensor x = stft.magnitude(target, n);
    Tensor y = stft.magnitude(estimate, n);
    Tensor linear = means.of(x.sub(y).square().mean()).div(means.of(x.square().mean()));
    Tensor log = means.of(x.add(logEpsilon).log().sub(y.add(logEpsilon).log()).abs().mean());
    return new ScaleTerms(linear, log);
  }

  @Override
  public void close() {
    stft.close();
  }
}
