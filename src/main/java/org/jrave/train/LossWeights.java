package org.jrave.train;

import java.util.HashMap;
import java.util.Map;

/**
 * The reference's loss weighting (spec 4.11), quirk included. Each term is first scaled by its
 * configured weight ({@code audio_distance}, {@code multiband_audio_distance},
 * {@code feature_matching}, {@code adversarial}; defaults 1, 1, 20, 1, replaced by the preset's
 * {@code weights}); the optimised total then multiplies every logged term by
 * {@code weights.get(term name, 1)} again. Because {@code feature_matching} and {@code adversarial}
 * are both a weight key and a term name, they are weighted twice (v2: feature matching x400). This
 * is kept on purpose: it is the effective recipe every published RAVE model was trained with.
 */
public final class LossWeights {

  public static final String MULTIBAND = "multiband_spectral_distance";
  public static final String FULLBAND = "fullband_spectral_distance";
  public static final String REGULARIZATION = "regularization";
  public static final String FEATURE_MATCHING = "feature_matching";
  public static final String ADVERSARIAL = "adversarial";

  private final Map<String, Double> weights;

  public LossWeights(Map<String, Double> configured) {
    Map<String, Double> w = new HashMap<>(Map.of(
        "audio_distance", 1.0, "multiband_audio_distance", 1.0, "adversarial", 1.0, "feature_matching", 20.0));
    w.putAll(configured);
    this.weights = Map.copyOf(w);
  }

  /** The weight applied to a raw term before it is logged under {@code term}. */
  public double first(String term) {
    return switch (term) {
      case MULTIBAND -> weights.get("multiband_audio_distance");
      case FULLBAND -> weights.get("audio_distance");
      case FEATURE_MATCHING -> weights.get("feature_matching");
      case ADVERSARIAL -> weights.get("adversarial");
      default -> 1.0;
    };
  }

  /** The weight applied to the logged term when summing the optimised total. */
  public double second(String term) {
    return weights.getOrDefault(term, 1.0);
  }

  /** Both together: the effective multiplier of the raw term in the optimised loss. */
  public double effective(String term) {
    return first(term) * second(term);
  }
}
