package org.jrave.golden;

import java.util.List;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.Presets;

/** The two golden models: v2 + noise at capacity 8, centred and causal, with the golden weights. */
public final class GoldenModels {
  private GoldenModels() {}

  public static RaveModel load(String variant) {
    List<String> presets = variant.endsWith("causal") ? List.of("v2", "noise", "causal") : List.of("v2", "noise");
    RaveModel model = RaveFactory.build(Presets.builder(presets).capacity(8).build());
    model.loadStateDict(Golden.load("weights.safetensors")).requireComplete("golden weights");
    return model;
  }
}
