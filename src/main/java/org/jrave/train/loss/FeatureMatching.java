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
    return of(real, fake, BatchMean.LOCAL);
  }

  /** As {@link #of(List, List)}, its means taken over the whole batch by {@code means}. */
  public Tensor of(List<List<Tensor>> real, List<List<Tensor>> fake, BatchMean means) {
    Tensor total = null;
    for (int s = 0; s < real.size(); s++) {
      List<Tensor> r = real.get(s);
      List<Tensor> f = fake.get(s);
      Tensor scale = null;
      for (int i = skipped; i < r.size(); i++) {
        Tensor d = means.of(r.get(i).sub(f.get(i)).abs().mean());
        if (relative) {
          d = d.div(means.of(r.get(i).abs().mean()));
        }
        scale = scale == null ? d : scale.add(d);
      }
      scale = scale.div(r.size() - skipped);
      total = total == null ? scale : total.add(scale);
    }
    return total.div(real.size());
  }
}
