package org.jrave.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jrave.engine.Module;
import org.jrave.engine.Parameter;
import org.jrave.engine.Tensor;

/**
 * The README's checks of what a replayed training step changed: the gradient of every parameter
 * the step updates, and the parameters after the Adam step. They print the measured errors, which
 * docs/training.md quotes.
 */
final class StepUpdateChecks {
  private StepUpdateChecks() {}

  /**
   * The last 1x1 convolution's bias of every sub-discriminator: its gradient under the hinge loss is
   * exactly zero when every score lies in (-1, 1), so the reference's file holds float32 rounding
   * noise that Adam turns into an update of arbitrary sign (README: checked as |grad| <= 1e-7, and
   * the parameter counted among the allowed outliers).
   */
  private static final Set<String> ZERO_IN_EXACT_ARITHMETIC = Set.of(
      "discriminators.0.layers.0.net.8.bias", "discriminators.0.layers.1.net.8.bias",
      "discriminators.0.layers.2.net.8.bias", "discriminators.0.layers.3.net.8.bias",
      "discriminators.0.layers.4.net.8.bias", "discriminators.1.layers.0.net.8.bias",
      "discriminators.1.layers.1.net.8.bias", "discriminators.1.layers.2.net.8.bias");

  /** Every gradient of {@code updated}, against the reference's, per tensor and all together. */
  static void assertGradients(String step, Module updated, Map<String, Tensor> golden, StepTolerances tol) {
    Map<String, Tensor> port = gradients(updated);
    assertThat(port.keySet()).as("parameters with a gradient").containsExactlyInAnyOrderElementsOf(golden.keySet());
    double worstMax = 0;
    double worstL2 = 0;
    String worstMaxName = "";
    String worstL2Name = "";
    double err2 = 0;
    double ref2 = 0;
    double largestOfZero = 0;
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : golden.entrySet()) {
      String name = e.getKey();
      float[] p = port.get(name).toFloatArray();
      float[] g = e.getValue().toFloatArray();
      TensorErrors errors = TensorErrors.of(p, g);
      err2 += errors.errorL2() * errors.errorL2();
      ref2 += errors.goldenL2() * errors.goldenL2();
      if (ZERO_IN_EXACT_ARITHMETIC.contains(name)) {
        double largest = TensorErrors.of(p, new float[p.length]).maxAbs();
        largestOfZero = Math.max(largestOfZero, largest);
        if (largest > StepTolerances.ZERO_GRADIENT) {
          failures.add(String.format("%s: |grad| %.2e, want <= %.0e (zero in exact arithmetic)", name, largest,
              StepTolerances.ZERO_GRADIENT));
        }
        continue;
      }
      if (errors.maxOverAbsmax() > worstMax) {
        worstMax = errors.maxOverAbsmax();
        worstMaxName = name;
      }
      if (errors.relativeL2() > worstL2) {
        worstL2 = errors.relativeL2();
        worstL2Name = name;
      }
      if (errors.maxOverAbsmax() > tol.gradMaxOverAbsmax() || errors.relativeL2() > tol.gradRelL2()) {
        failures.add(String.format("%s: max/absmax %.2e (<= %.2e), relative L2 %.2e (<= %.2e)", name,
            errors.maxOverAbsmax(), tol.gradMaxOverAbsmax(), errors.relativeL2(), tol.gradRelL2()));
      }
    }
    double overall = Math.sqrt(err2 / ref2);
    System.out.printf("  %s gradients: worst max/absmax %.2e (%s), worst relative L2 %.2e (%s), all together %.2e%s%n",
        step, worstMax, worstMaxName, worstL2, worstL2Name, overall, golden.keySet().stream()
            .anyMatch(ZERO_IN_EXACT_ARITHMETIC::contains) ? String.format(", largest zero gradient %.1e", largestOfZero) : "");
    assertThat(failures).as("gradients beyond tolerance").isEmpty();
    assertThat(overall).as("relative L2 error of all gradients together").isLessThanOrEqualTo(tol.gradRelL2Overall());
  }

  /**
   * Parameters after the Adam step: every element within {@code 2 lr + 2e-7 |golden|}, and all but the
   * allowed outliers within {@code 1e-3 lr + 2e-7 |golden|} (Adam's first step is about
   * {@code -lr sign(g)}, so a gradient near zero may flip an update's sign).
   */
  static void assertParameters(String step, Module updated, Map<String, Tensor> after, double lr,
      StepTolerances tol) {
    Map<String, Parameter> params = updated.namedParameters();
    long elements = 0;
    long outliers = 0;
    double worst = 0;
    List<String> beyondBound = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : after.entrySet()) {
      Parameter p = params.get(e.getKey());
      assertThat(p).as("jrave parameter for " + e.getKey()).isNotNull();
      float[] port = p.value().toFloatArray();
      float[] golden = e.getValue().toFloatArray();
      for (int i = 0; i < golden.length; i++) {
        double diff = Math.abs((double) port[i] - golden[i]);
        double relativePart = 2e-7 * Math.abs(golden[i]);
        if (diff > 2 * lr + relativePart) {
          beyondBound.add(String.format("%s[%d]: %.8g, reference %.8g", e.getKey(), i, port[i], golden[i]));
        }
        if (diff > 1e-3 * lr + relativePart) {
          outliers++;
        }
        worst = Math.max(worst, diff);
      }
      elements += golden.length;
    }
    System.out.printf("  %s parameters: %d of %d elements beyond 1e-3 lr, largest difference %.2f lr%n",
        step, outliers, elements, worst / lr);
    assertThat(beyondBound).as("parameter elements beyond 2 lr of the reference's update").isEmpty();
    assertThat(outliers).as("parameter elements beyond 1e-3 lr of the reference's update")
        .isLessThanOrEqualTo(tol.allowedParamOutliers(elements));
  }

  /** The gradient of every parameter of {@code module} that got one, by state_dict name. */
  private static Map<String, Tensor> gradients(Module module) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    module.namedParameters().forEach((name, p) -> {
      Tensor g = p.value().grad();
      if (g != null) {
        out.put(name, g);
      }
    });
    return out;
  }
}
