package org.jrave.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.jrave.engine.Safetensors;
import org.jrave.engine.Tensor;

/**
 * Access to the reference's golden vectors, committed as test resources ({@code
 * src/test/resources/golden}, a byte-for-byte copy of the shared folder kept in step by {@code
 * bin/refresh-golden} and {@link GoldenCopyTest}), and the tolerance check the golden README
 * prescribes: {@code |port - golden| <= atol + rtol |golden|}.
 */
public final class Golden {
  private Golden() {}

  /**
   * The golden folder on the test class path. A missing copy fails rather than skips: the parity
   * checks are what the suite exists to prove.
   */
  public static Path requireRoot() {
    URL readme = Golden.class.getResource("/golden/README.md");
    if (readme == null) {
      throw new IllegalStateException("golden vectors are missing from the test resources"
          + " (src/test/resources/golden): restore them with git, or run bin/refresh-golden");
    }
    try {
      return Path.of(readme.toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Map<String, Tensor> load(String relative) {
    try {
      return Safetensors.read(requireRoot().resolve(relative)).tensors();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void assertClose(String name, Tensor actual, Tensor expected, double atol, double rtol) {
    assertThat(actual.shape()).as(name + " shape").containsExactly(expected.shape());
    float[] a = actual.toFloatArray();
    float[] e = expected.toFloatArray();
    double worst = 0;
    int worstIndex = -1;
    for (int i = 0; i < e.length; i++) {
      double excess = Math.abs(a[i] - e[i]) - (atol + rtol * Math.abs(e[i]));
      if (excess > worst || Double.isNaN(a[i])) {
        worst = Double.isNaN(a[i]) ? Double.POSITIVE_INFINITY : excess;
        worstIndex = i;
      }
    }
    if (worstIndex >= 0) {
      throw new AssertionError(String.format(
          "%s differs from the golden tensor %s at flat index %d: got %.8g, want %.8g (atol %.1e, rtol %.1e); max abs diff %.3e",
          name, Arrays.toString(expected.shape()), worstIndex, a[worstIndex], e[worstIndex], atol, rtol,
          maxAbsDiff(a, e)));
    }
  }

  public static double maxAbsDiff(float[] a, float[] e) {
    double m = 0;
    for (int i = 0; i < e.length; i++) {
      m = Math.max(m, Math.abs(a[i] - e[i]));
    }
    return m;
  }
}
