package org.jrave.streaming;

import java.util.function.UnaryOperator;
import org.jrave.engine.Tensor;

/**
 * A latent edit that can also work on a block's rows {@code z[dimension][frame]} in place without
 * allocating: {@link RealtimeProcessor} then keeps the whole block free of native work. The two
 * forms must agree.
 */
public interface ArrayLatentEdit extends UnaryOperator<Tensor> {
  void applyInPlace(float[][] z);
}
