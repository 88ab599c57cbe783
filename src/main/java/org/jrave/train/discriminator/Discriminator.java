package org.jrave.train.discriminator;

import java.util.List;
import org.jrave.engine.Module;
import org.jrave.engine.Tensor;

/**
 * A discriminator (spec section 4): maps audio {@code [B, C, T]} to a list of scales, each a list
 * of feature maps whose last element is the logit map.
 */
public abstract class Discriminator extends Module {
  public abstract List<List<Tensor>> features(Tensor audio);
}
