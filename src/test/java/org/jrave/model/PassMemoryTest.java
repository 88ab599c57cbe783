package org.jrave.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jrave.engine.Device;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.config.Presets;
import org.jrave.model.noise.NoiseSource;
import org.junit.jupiter.api.Test;

/**
 * Repeated offline passes reuse the memory of the previous ones: a full-size v2 encode+decode of
 * 10 s moves about 200 MB of activations, which the C allocator used to hand back to the kernel
 * and fault in again at every pass (25,000-55,000 page faults, a few tenths of a second).
 */
class PassMemoryTest {

  @Test
  void repeatedEncodeDecodePassesDoNotFaultInFreshMemory() {
    try (RaveModel model = RaveFactory.build(Presets.resolve("v2")); NoGrad ng = NoGrad.enter()) {
      Tensor x = Tensor.randn(Device.CPU, 1, 1, 442_368).mul(0.1).retain();
      Runnable pass = () -> {
        try (TensorScope s = new TensorScope()) {
          model.decode(model.encoder().reparametrize(model.encodeRaw(x)).z(), NoiseSource.RANDOM).toFloatArray();
        }
      };
      pass.run();
      pass.run();
      long before = minorFaults();
      for (int i = 0; i < 3; i++) {
        pass.run();
      }
      // 3,000 faults are 12 MB: Java-side arrays and stray small allocations, not the activations.
      assertThat((minorFaults() - before) / 3).as("page faults per pass").isLessThan(3_000);
      x.close();
    }
  }

  private static long minorFaults() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // Fields after the parenthesised command name; minflt is the 10th field of the line.
      return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
