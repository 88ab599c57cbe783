package org.jrave.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the reference's float64 run of a recorded training step logged, and the scalar it
 * backpropagated, at full double precision. Read from the folder's {@code summary.json}: the step
 * files hold them as F64 tensors too, but jrave's safetensors reader narrows F64 to float32.
 */
record Float64Log(Map<String, Double> logged, double lossBackward) {

  static Float64Log of(String step) {
    try {
      JsonNode node = new ObjectMapper()
          .readTree(Golden.requireRoot().resolve(TrainingStepFile.FOLDER + "summary.json").toFile())
          .path("steps").path(step);
      Map<String, Double> logged = new LinkedHashMap<>();
      node.path("logged_f64").properties().forEach(e -> logged.put(e.getKey(), e.getValue().doubleValue()));
      if (logged.isEmpty() || !node.has("loss_backward_f64")) {
        throw new IllegalStateException("summary.json has no float64 log for " + step);
      }
      return new Float64Log(logged, node.path("loss_backward_f64").doubleValue());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
