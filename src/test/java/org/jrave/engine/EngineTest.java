package org.jrave.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTest {

  @Test
  void keptTensorsOutliveTheirScopeAndNestedScopesFreeTheRest() {
    Tensor kept;
    try (TensorScope outer = new TensorScope()) {
      try (TensorScope inner = new TensorScope()) {
        Tensor a = Tensor.fromFloats(new float[] {1, 2, 3}, 3);
        kept = inner.keep(a.mul(2));
      }
      assertThat(kept.toFloatArray()).containsExactly(2, 4, 6);
      kept = outer.keep(kept.add(1));
    }
    assertThat(kept.toFloatArray()).containsExactly(3, 5, 7);
  }

  @Test
  void scopedWorkDoesNotGrowResidentMemory() {
    for (int i = 0; i < 50; i++) {
      try (TensorScope s = new TensorScope()) {
        Tensor.zeros(1024, 1024).add(1).mul(2);
      }
    }
    long before = rssKb();
    for (int i = 0; i < 300; i++) {
      try (TensorScope s = new TensorScope()) {
        Tensor.zeros(1024, 1024).add(1).mul(2); // 4 MB per tensor, 3 per round: 3.6 GB in all
      }
    }
    assertThat(rssKb() - before).as("resident memory growth in kB").isLessThan(200_000);
  }

  private static long rssKb() {
    try {
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("no VmRSS");
  }

  @Test
  void noGradStopsGradientTracking() {
    Tensor w = Tensor.ones(3).requiresGrad(true);
    assertThat(w.mul(2).requiresGrad()).isTrue();
    try (NoGrad ng = NoGrad.enter()) {
      assertThat(w.mul(2).requiresGrad()).isFalse();
    }
    assertThat(w.mul(2).requiresGrad()).isTrue();
  }

  @Test
  void gradientsFlowThroughOperations() {
    Tensor w = Tensor.fromFloats(new float[] {1, 2, 3}, 3).requiresGrad(true);
    w.square().sum().backward();
    assertThat(w.grad().toFloatArray()).containsExactly(2, 4, 6);
  }

  @Test
  void safetensorsRoundTripKeepsValuesTypesAndMetadata(@TempDir Path dir) throws Exception {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("f", Tensor.fromFloats(new float[] {1.5f, -2f, Float.MIN_VALUE, 3e38f}, 2, 2));
    tensors.put("i", Tensor.fromLongs(new long[] {7, -9}, 2));
    Path file = dir.resolve("t.safetensors");
    Safetensors.write(file, tensors, Map.of("k", "v"));
    Safetensors.Contents c = Safetensors.read(file);
    assertThat(c.metadata()).containsEntry("k", "v");
    assertThat(c.tensors().keySet()).containsExactly("f", "i");
    assertThat(c.tensors().get("f").shape()).containsExactly(2, 2);
    assertThat(c.tensors().get("f").toFloatArray()).containsExactly(1.5f, -2f, Float.MIN_VALUE, 3e38f);
    assertThat(c.tensors().get("i").isFloat()).isFalse();
    assertThat(c.tensors().get("i").toLongArray()).containsExactly(7, -9);
  }

  @Test
  void notSafetensorsIsAClearError(@TempDir Path dir) throws Exception {
    Path file = java.nio.file.Files.writeString(dir.resolve("x.safetensors"), "definitely not");
    assertThatThrownBy(() -> Safetensors.read(file)).hasMessageContaining("not a safetensors file");
  }

  @Test
  void devicesParse() {
    assertThat(Device.parse("cpu")).isEqualTo(Device.CPU);
    assertThat(Device.parse("cuda")).isEqualTo(Device.cuda(0));
    assertThat(Device.parse("CUDA:1")).isEqualTo(Device.cuda(1));
    assertThatThrownBy(() -> Device.parse("gpu")).hasMessageContaining("cpu, cuda or cuda:N");
  }

  @Test
  void modulesNameTheirStateLikePyTorch() {
    class Leaf extends Module {
      Leaf() {
        addParameter("weight", Tensor.zeros(2));
        addBuffer("count", Tensor.fromLongs(new long[] {0}, 1));
      }
    }
    class Root extends Module {
      Root() {
        addChild("a", new Leaf());
        addChild("b", new Leaf());
      }
    }
    try (Root root = new Root()) {
      assertThat(root.stateEntries().keySet()).containsExactly("a.weight", "a.count", "b.weight", "b.count");
      assertThat(root.namedParameters().keySet()).containsExactly("a.weight", "b.weight");
      assertThat(root.parameterCount()).isEqualTo(4);
      root.train(true);
      assertThat(root.children().get("a").isTraining()).isTrue();
    }
  }
}
