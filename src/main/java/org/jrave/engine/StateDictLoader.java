package org.jrave.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Copies a name-to-tensor map into a module tree, matching PyTorch's strict=False semantics. */
final class StateDictLoader {

  private StateDictLoader() {}

  static LoadReport load(Module module, Map<String, Tensor> state) {
    Map<String, Parameter> entries = module.stateEntries();
    List<String> missing = new ArrayList<>();
    List<String> mismatched = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    for (var e : entries.entrySet()) {
      Tensor source = state.get(e.getKey());
      if (source == null) {
        missing.add(e.getKey() + " " + Arrays.toString(e.getValue().shape()));
        continue;
      }
      long[] want = e.getValue().shape();
      long[] got = source.shape();
      if (!Arrays.equals(want, got) && !(scalarLike(want) && scalarLike(got))) {
        mismatched.add(e.getKey() + " (model " + Arrays.toString(want) + ", file " + Arrays.toString(got) + ")");
        continue;
      }
      e.getValue().assign(source.reshape(want));
    }
    for (String key : state.keySet()) {
      if (!entries.containsKey(key)) {
        unexpected.add(key + " " + Arrays.toString(state.get(key).shape()));
      }
    }
    return new LoadReport(missing, unexpected, mismatched);
  }

  /** PyTorch 0-d buffers are stored with shape [1] in some files. */
  private static boolean scalarLike(long[] shape) {
    return Arrays.stream(shape).reduce(1, (a, b) -> a * b) == 1;
  }
}
