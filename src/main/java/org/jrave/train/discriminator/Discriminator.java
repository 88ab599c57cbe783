package org.jrave.train.discriminator;

import java.util.ArrayList;
import java.util.List;
import org.jrave.engine.Module;
import org.jrave.engine.Tensor;

/**
 * A discriminator (spec section 4): maps audio {@code [B, C, T]} to a list of scales, each a list
 * of feature maps whose last element is the logit map.
 *
 * <p>Scales are independent networks, so a scale can be evaluated alone ({@link #scale}): training
 * runs them one at a time and frees each scale's activations before the next (its losses are sums
 * over scales).
 */
public abstract class Discriminator extends Module {

  /** The number of scales. */
  public abstract int scaleCount();

  /** The feature maps of scale {@code index} (logits last) for {@code audio}. */
  public abstract List<Tensor> scale(int index, Tensor audio);

  /** Every scale's feature maps, in order. */
  public List<List<Tensor>> features(Tensor audio) {
    List<List<Tensor>> out = new ArrayList<>(scaleCount());
    for (int i = 0; i < scaleCount(); i++) {
      out.add(scale(i, audio));
    }
    return out;
  }
}
