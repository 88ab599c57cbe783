package org.jrave.interop;

import java.util.List;
import org.jrave.engine.Module;
import org.jrave.model.RaveModel;
import org.jrave.model.blocks.AdaptiveInstanceNormalization;

/**
 * TorchScript of the AdaIN layers of an export: {@code _adain} (as jrave's
 * {@link AdaptiveInstanceNormalization} in eval mode: learn the target or source statistics of each
 * batch row with a running average, or renormalise from source to target statistics once both
 * were learnt), and {@code _update_adain}, which applies the nn~ attributes
 * {@code learn_target}/{@code learn_source} to every layer and performs requested resets.
 */
final class AdaInScript {
  private AdaInScript() {}

  /** State-dict paths of the model's AdaIN layers, in order. */
  static List<String> paths(RaveModel model) {
    return model.namedBuffers().keySet().stream()
        .filter(k -> k.endsWith(".learn_x"))
        .map(k -> k.substring(0, k.length() - ".learn_x".length()))
        .toList();
  }

  static boolean uses(RaveModel model) {
    return model.modules().stream().anyMatch((Module m) -> m instanceof AdaptiveInstanceNormalization);
  }

  static String source(RaveModel model) {
    List<String> paths = paths(model);
    StringBuilder src = new StringBuilder();
    if (!paths.isEmpty()) {
      src.append("""
          def _adain_update(self, x, mean, std, count):
              b = x.shape[0]
              weight = 1.0 / (float(count.item()) + 1.0)
              mean[:b].add_((torch.mean(x, [2], True) - mean[:b]) * weight)
              std[:b].add_((torch.std(x, [2], True, True) - std[:b]) * weight)
              count.add_(1.0)

          def _adain(self, x, mean_x, std_x, learn_x, count_x, mean_y, std_y, learn_y, count_y):
              b = x.shape[0]
              if float(learn_y.item()) != 0.0:
                  self._adain_update(x, mean_y, std_y, count_y)
                  return x
              if float(learn_x.item()) != 0.0:
                  self._adain_update(x, mean_x, std_x, count_x)
              if float(count_x.item()) > 0.0 and float(count_y.item()) > 0.0:
                  normalized = (x - mean_x[:b]) / (std_x[:b] + 1e-5)
                  return normalized * std_y[:b] + mean_y[:b]
              return x

          """);
    }
    src.append("def _update_adain(self):\n");
    if (paths.isEmpty()) {
      src.append("    pass\n\n");
      return src.toString();
    }
    for (String p : paths) {
      String m = LayerScriptWriter.ref(p);
      src.append("    ").append(m).append(".learn_y.fill_(1.0 if self.learn_target else 0.0)\n");
      src.append("    ").append(m).append(".learn_x.fill_(1.0 if self.learn_source else 0.0)\n");
    }
    for (String side : List.of("target", "source")) {
      String s = side.equals("target") ? "y" : "x";
      src.append("    if self.reset_").append(side).append(":\n");
      for (String p : paths) {
        String m = LayerScriptWriter.ref(p);
        src.append("        ").append(m).append(".mean_").append(s).append(".zero_()\n");
        src.append("        ").append(m).append(".std_").append(s).append(".fill_(1.0)\n");
        src.append("        ").append(m).append(".num_update_").append(s).append(".zero_()\n");
      }
      src.append("        self.reset_").append(side).append(" = False\n");
    }
    return src.append('\n').toString();
  }
}
