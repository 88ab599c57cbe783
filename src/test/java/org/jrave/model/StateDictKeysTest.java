package org.jrave.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrave.engine.Parameter;
import org.jrave.model.config.Presets;
import org.junit.jupiter.api.Test;

/** State-dict names and shapes of the model variants against the spec's key list (section 10.2). */
class StateDictKeysTest {

  private static Map<String, long[]> shapes(RaveModel model) {
    Map<String, long[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : model.stateEntries().entrySet()) {
      out.put(e.getKey(), e.getValue().shape());
    }
    return out;
  }

  private static void assertShape(Map<String, long[]> keys, String name, long... shape) {
    assertThat(keys).as("state dict").containsKey(name);
    assertThat(keys.get(name)).as(name).containsExactly(shape);
  }

  @Test
  void v1KeysFollowTheReferenceNesting() {
    try (RaveModel model = RaveFactory.build(Presets.resolve("v1"))) {
      Map<String, long[]> k = shapes(model);
      assertShape(k, "encoder.encoder.net.0.weight", 64, 16, 7);
      assertShape(k, "encoder.encoder.net.3.weight", 128, 64, 9);
      assertShape(k, "encoder.encoder.net.12.weight", 1024, 512, 5);
      assertShape(k, "encoder.encoder.net.14.weight", 256, 512, 5);
      for (int i : new int[] {1, 4, 7, 10}) {
        long c = 64L << (i / 3);
        String bn = "encoder.encoder.net." + i + ".";
        assertShape(k, bn + "weight", c);
        assertShape(k, bn + "bias", c);
        assertShape(k, bn + "running_mean", c);
        assertShape(k, bn + "running_var", c);
        assertThat(k).containsKey(bn + "num_batches_tracked");
      }
      assertThat(k.keySet()).filteredOn(n -> n.startsWith("encoder.encoder.")).noneMatch(n -> n.contains("weight_g"));
      assertThat(k).containsKey("decoder.warmed_up");
      assertShape(k, "decoder.net.0.weight_v", 1024, 128, 7);
      assertShape(k, "decoder.net.1.net.1.weight_v", 1024, 512, 8);
      assertShape(k, "decoder.net.1.net.1.weight_g", 1024, 1, 1);
      assertShape(k, "decoder.net.7.net.1.weight_v", 128, 64, 4);
      for (int stack : new int[] {2, 4, 6, 8}) {
        long c = 1024L >> (stack / 2);
        for (int layer = 0; layer < 3; layer++) {
          for (int conv : new int[] {1, 3}) {
            String p = "decoder.net." + stack + ".net.branches.0.net." + layer + ".net.aligned.branches.0." + conv + ".";
            assertShape(k, p + "weight_v", c, c, 3);
            assertShape(k, p + "weight_g", c, 1, 1);
          }
        }
      }
      assertShape(k, "decoder.synth.branches.0.weight_v", 16, 64, 7);
      assertShape(k, "decoder.synth.branches.1.weight_v", 1, 64, 3);
      assertThat(k).containsKey("decoder.synth.branches.2.target_size");
      assertShape(k, "decoder.synth.branches.2.net.0.weight", 64, 64, 3);
      assertShape(k, "decoder.synth.branches.2.net.2.weight", 64, 64, 3);
      assertShape(k, "decoder.synth.branches.2.net.4.weight", 80, 64, 3);
    }
  }

  @Test
  void onnxHasNoNoiseBranch() {
    try (RaveModel model = RaveFactory.build(Presets.resolve("onnx"))) {
      assertThat(shapes(model).keySet()).noneMatch(n -> n.startsWith("decoder.synth.branches.2"));
    }
  }

  @Test
  void discreteKeysCarryTheCodebooks() {
    try (RaveModel model = RaveFactory.build(Presets.resolve("discrete"))) {
      Map<String, long[]> k = shapes(model);
      assertThat(k).containsKey("encoder.enabled").containsKey("encoder.warmed_up");
      for (int i = 0; i < 16; i++) {
        String p = "encoder.rvq.layers." + i + "._codebook.";
        assertShape(k, p + "inited", 1);
        assertShape(k, p + "cluster_size", 1024);
        assertShape(k, p + "embed", 1024, 128);
        assertShape(k, p + "embed_avg", 1024, 128);
      }
      assertThat(k).doesNotContainKey("encoder.rvq.layers.16._codebook.embed");
      assertShape(k, "encoder.encoder.net.21.weight_v", 128, 1536, 3);
      assertShape(k, "decoder.net.0.weight_v", 1536, 256, 3);
    }
  }

  @Test
  void v3SnakeSitsOnlyAtTopLevelActivationsAndAdaInBeforeEveryResidual() {
    try (RaveModel model = RaveFactory.build(Presets.resolve("v3"))) {
      Map<String, long[]> k = shapes(model);
      int[] encoderAlphas = {7, 15, 23, 29, 31};
      long[] encoderChannels = {96, 192, 384, 768, 1536};
      for (int i = 0; i < encoderAlphas.length; i++) {
        assertShape(k, "encoder.encoder.net." + encoderAlphas[i] + ".alpha", encoderChannels[i], 1);
      }
      int[] decoderAlphas = {1, 7, 15, 23, 31};
      long[] decoderChannels = {1536, 768, 384, 192, 96};
      for (int i = 0; i < decoderAlphas.length; i++) {
        assertShape(k, "decoder.net." + decoderAlphas[i] + ".alpha", decoderChannels[i], 1);
      }
      assertThat(k.keySet().stream().filter(n -> n.endsWith("alpha"))).hasSize(10);
      assertShape(k, "decoder.net.32.weight_v", 32, 96, 7);
      // AdaIN before the first residual unit of each side.
      for (String suffix : new String[] {"mean_x", "std_x", "mean_y", "std_y"}) {
        assertShape(k, "encoder.encoder.net.1." + suffix, 64, 96, 1);
        assertShape(k, "decoder.net.3." + suffix, 64, 768, 1);
      }
      for (String suffix : new String[] {"learn_x", "num_update_x", "learn_y", "num_update_y"}) {
        assertShape(k, "encoder.encoder.net.1." + suffix, 1);
      }
      assertThat(k).containsKey("encoder.encoder.net.2.aligned.branches.0.net.1.weight_v");
      long adainModules = k.keySet().stream().filter(n -> n.endsWith(".mean_x")).count();
      assertThat(adainModules).isEqualTo(11 + 11);
    }
  }

  @Test
  void snakeReachesTheV2NoiseGenerator() {
    try (RaveModel model = RaveFactory.build(Presets.builder(List.of("v2", "noise", "snake")).capacity(8).build())) {
      Map<String, long[]> k = shapes(model);
      assertShape(k, "decoder.noise_module.net.1.alpha", 128, 1);
      assertShape(k, "decoder.noise_module.net.3.alpha", 128, 1);
    }
  }

  @Test
  void wassersteinAndSphericalLatentsHave16Channels() {
    try (RaveModel w = RaveFactory.build(Presets.resolve("v2", "wasserstein"));
        RaveModel s = RaveFactory.build(Presets.resolve("v2", "spherical"))) {
      assertShape(shapes(w), "encoder.encoder.net.21.weight_v", 16, 1536, 3);
      assertShape(shapes(w), "decoder.net.0.weight_v", 1536, 144, 3);
      assertShape(shapes(w), "latent_pca", 16, 16);
      assertShape(shapes(s), "decoder.net.0.weight_v", 1536, 16, 3);
    }
  }
}
