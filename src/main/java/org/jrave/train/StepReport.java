package org.jrave.train;

import java.util.Map;

/**
 * What one training batch did: which optimiser stepped and every logged value (the loss terms under
 * the reference's names, {@code beta_factor}, learning rates, and in phase 2 {@code loss_dis},
 * {@code pred_real}, {@code pred_fake}).
 */
public record StepReport(long step, boolean warmedUp, boolean discriminatorStep, Map<String, Double> values) {
  public StepReport {
    values = Map.copyOf(values);
  }
}
