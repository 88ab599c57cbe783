package org.jrave.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.golden.Golden;
import org.jrave.model.blocks.PaddingMode;
import org.jrave.model.pqmf.PqmfFilters;
import org.jrave.model.pqmf.Pqmf;
import org.junit.jupiter.api.Test;

class PqmfTest {

  @Test
  void prototypeDesignMatchesTheReferenceNumbers() {
    PqmfFilters f = PqmfFilters.design(16, 100);
    assertThat(f.prototype()).hasSize(377);
    assertThat(f.paddedLength()).isEqualTo(512);
    assertThat((double) f.prototype()[0]).isCloseTo(5.5528892e-07, within(1e-13));
    assertThat((double) f.prototype()[376]).isCloseTo(5.5528892e-07, within(1e-13));
    assertThat((double) f.prototype()[188]).isCloseTo(0.034224529, within(1e-9));
    assertThat((double) f.hk()[0][256]).isCloseTo(0.043334153, within(1e-8));
    assertThat((double) f.hk()[1][256]).isCloseTo(0.060242299, within(1e-8));
    assertThat((double) f.hk()[15][256]).isCloseTo(-0.043334153, within(1e-8));
    assertThat((double) f.hk()[3][100]).isCloseTo(-5.0508417e-05, within(5e-10));
  }

  @Test
  void otherBandCountsGiveTheReferenceLengths() {
    assertThat(PqmfFilters.design(8, 100).prototype()).hasSize(189);
    assertThat(PqmfFilters.design(4, 100).prototype()).hasSize(95);
    assertThat(PqmfFilters.design(2, 100).prototype()).hasSize(49);
  }

  @Test
  void designedFiltersEqualTheGoldenOnes() {
    Map<String, Tensor> w = Golden.load("weights.safetensors");
    try (Pqmf pqmf = new Pqmf(16, 100, PaddingMode.CENTERED)) {
      var state = pqmf.stateEntries();
      for (String name : new String[] {"hk", "h", "forward_conv.weight", "inverse_conv.weight"}) {
        // float64 modulation here vs float32 in the reference: a few 1e-7 apart (see PqmfFilters).
        Golden.assertClose(name, state.get(name).value(), w.get("pqmf." + name), 3e-7, 1e-5);
      }
    }
  }

  @Test
  void analysisAndRoundTripMatchGolden() {
    for (String variant : new String[] {"v2n-c8", "v2n-c8-causal"}) {
      Map<String, Tensor> g = Golden.load(variant + "/offline.safetensors");
      PaddingMode mode = variant.endsWith("causal") ? PaddingMode.CAUSAL : PaddingMode.CENTERED;
      try (TensorScope scope = new TensorScope(); Pqmf pqmf = new Pqmf(16, 100, mode)) {
        Tensor bands = pqmf.analyze(g.get("x"));
        Golden.assertClose(variant + " pqmf_bands", bands, g.get("pqmf_bands"), 1e-6, 1e-5);
        Tensor round = pqmf.synthesize(g.get("pqmf_bands"));
        Golden.assertClose(variant + " pqmf_roundtrip", round, g.get("pqmf_roundtrip"), 1e-6, 1e-5);
      }
    }
  }
}
