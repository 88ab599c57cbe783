package org.jrave.train.loss;

import java.util.List;
import org.jrave.engine.Tensor;

/**
 * Feature matching (spec 4.8): per scale, the mean over feature maps {@code i >= skipped} of the L1
 * distance {@code mean|real - fake|}, divided by {@code mean|real|} when relative; then the mean over
 * scales. Real features are not detached (as in the reference).
 */
public record FeatureMatching(int skipped, boolean relative) {

  public Tensor of(List<List<Tensor>> real, List<List<Tensor>> fake) {
    Tensor total = null;
    for (int s = 0; s < real.size(); s++) {
      Tensor scale = ofScale(real.get(s), fake.get(s), BatchMean.LOCAL);
      total = total == null ? scale : total.add(scale);
    }
    return total.div(real.size());
  }

  /** The term of one scale (before the mean over scales): the mean over its compared maps. */
  public Tensor ofScale(List<Tensor> real, List<Tensor> fake, BatchMean means) {
    Tensor scale = null;
    for (int i = skipped; i < real.size(); i++) {
      Tensor d = means.of(real.get(i).sub(fake.get(i)).abs().mean());
      if (relative) {
        d = d.div(means.of(real.get(i).abs().mean()));
      }
      scale = scale == null ? d : scale.add(d);
    }
    return scale.div(real.size() - skipped);
  }
}
