package org.jrave.golden;

import java.util.List;
import java.util.Map;
import org.jrave.train.LossWeights;
import org.jrave.train.StepReport;

/** The reference's logged values as jrave reports them, and the scalar a step backpropagated. */
final class LoggedTerms {
  private LoggedTerms() {}

  /** The reference's logged names, mapped to the names jrave's {@link StepReport} uses. */
  private static final Map<String, String> JRAVE_NAMES = Map.of(
      "beta_factor", "beta_factor",
      "loss_dis", "loss_dis",
      "pred_real", "pred_real",
      "pred_fake", "pred_fake",
      "multiband_spectral_distance", LossWeights.MULTIBAND,
      "fullband_spectral_distance", LossWeights.FULLBAND,
      "regularization", LossWeights.REGULARIZATION,
      "feature_matching", LossWeights.FEATURE_MATCHING,
      "adversarial", LossWeights.ADVERSARIAL);

  private static final List<String> GENERATOR_TERMS = List.of(LossWeights.MULTIBAND, LossWeights.FULLBAND,
      LossWeights.REGULARIZATION, LossWeights.FEATURE_MATCHING, LossWeights.ADVERSARIAL);

  /** jrave's value for what the reference logged as {@code referenceName}; fails if jrave has none. */
  static double value(StepReport report, String referenceName) {
    String name = JRAVE_NAMES.get(referenceName);
    if (name == null || !report.values().containsKey(name)) {
      throw new AssertionError("jrave does not log the reference's " + referenceName + " (as " + name + "); it logs "
          + report.values().keySet());
    }
    return report.values().get(name);
  }

  /**
   * The scalar the step backpropagated: {@code loss_dis} in a discriminator step, otherwise the
   * generator total rebuilt from the logged terms with the reference's second weighting
   * ({@link LossWeights#second}).
   */
  static double backpropagated(StepReport report, LossWeights weights) {
    if (report.discriminatorStep()) {
      return report.values().get("loss_dis");
    }
    double total = 0;
    for (String term : GENERATOR_TERMS) {
      if (report.values().containsKey(term)) {
        total += report.values().get(term) * weights.second(term);
      }
    }
    return total;
  }
}
