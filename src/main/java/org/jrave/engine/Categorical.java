package org.jrave.engine;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * Operations on class scores that the autoregressive prior needs: log-softmax, the mean
 * cross-entropy against integer targets (with autograd), and argmax.
 */
public final class Categorical {
  private Categorical() {}

  public static Tensor logSoftmax(Tensor logits, long dim) {
    return Tensor.wrap(torch.log_softmax(logits.handle(), dim));
  }

  public static Tensor softmax(Tensor logits, long dim) {
    return Tensor.wrap(torch.softmax(logits.handle(), dim));
  }

  /** Mean cross-entropy of {@code logits [N, C]} against int64 class indices {@code targets [N]}. */
  public static Tensor crossEntropy(Tensor logits, Tensor targets) {
    return Tensor.wrap(torch.nll_loss(torch.log_softmax(logits.handle(), 1), targets.handle()));
  }

  /** Index (int64) of the largest value along {@code dim}, which is removed. */
  public static Tensor argmax(Tensor x, long dim) {
    return Tensor.wrap(torch.argmax(x.handle(), new LongOptional(dim), false));
  }
}
