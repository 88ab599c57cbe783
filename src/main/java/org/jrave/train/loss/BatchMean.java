package org.jrave.train.loss;

import org.jrave.engine.Tensor;

/**
 * Turns a mean over this process's items into the mean over the whole batch. In one process that is
 * the value itself. In data-parallel training every process holds an equal slice of the batch: the
 * batch mean is the average of the processes' means, and the result keeps a gradient only through
 * this process's own mean, so that the gradients summed over processes are the gradient of the
 * whole-batch loss, even through ratios of means (the spectral and feature-matching distances).
 */
@FunctionalInterface
public interface BatchMean {

  /** The batch mean of a quantity whose mean over this process's items is {@code localMean}. */
  Tensor of(Tensor localMean);

  /** One process: its mean is the batch mean. */
  BatchMean LOCAL = localMean -> localMean;
}
