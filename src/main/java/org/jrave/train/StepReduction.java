package org.jrave.train;

import java.util.List;
import org.jrave.engine.Parameter;
import org.jrave.train.loss.BatchMean;

/**
 * How one process's part of a training step joins the others' in data-parallel training: losses
 * become means over the whole batch ({@link #batchMean()}) and gradients are summed over the
 * processes before the optimiser steps, so every process applies the same update. {@link #SINGLE}
 * is the one-process case, where both are the identity.
 */
public interface StepReduction {

  BatchMean batchMean();

  /** Replaces the gradient of every parameter that has one by its sum over the processes. */
  void sumGradients(List<Parameter> parameters);

  StepReduction SINGLE = new StepReduction() {
    @Override
    public BatchMean batchMean() {
      return BatchMean.LOCAL;
    }

    @Override
    public void sumGradients(List<Parameter> parameters) {}
  };
}
