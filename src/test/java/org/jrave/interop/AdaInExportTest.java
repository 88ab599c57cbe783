package org.jrave.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.jrave.engine.Engine;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveModel;
import org.jrave.model.blocks.AdaptiveInstanceNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nn~ AdaIN attributes of an exported v3 model drive its AdaIN layers as jrave's own do. */
class AdaInExportTest {
  @TempDir Path dir;

  private static List<AdaptiveInstanceNormalization> adains(RaveModel m) {
    return m.modules().stream().filter(AdaptiveInstanceNormalization.class::isInstance)
        .map(AdaptiveInstanceNormalization.class::cast).toList();
  }

  @Test
  void learnTransferAndResetLikeTheNativeModel() throws Exception {
    Path file = dir.resolve("v3.ts");
    try (TensorScope s = new TensorScope(); NoGrad ng = NoGrad.enter();
        RaveModel model = StreamingExportTest.model("v3")) {
      NnTildeExporter.export(model, file, NnTildeExporter.Options.defaults());
      int ratio = model.ratio();
      Tensor target = NnTildeExporterTest.noise(1, 1, 1, 2L * ratio);
      Tensor source = NnTildeExporterTest.noise(2, 1, 1, 2L * ratio).mul(3);
      String first = AdaInScript.paths(model).get(0);
      try (TorchScriptModel ts = TorchScriptModel.open(file)) {
        assertThat(ts.scalar("is_using_adain")).contains(true);
        // Learn the target statistics through the attribute, on both sides.
        ts.setAttribute("learn_target", true);
        Engine.manualSeed(1);
        ts.run("forward", target);
        adains(model).forEach(a -> a.setLearnTarget(true));
        Engine.manualSeed(1);
        model.forward(target);
        // The .ts updated its own buffers: read them back from the running module.
        Tensor learnt = exportedBuffer(ts, first + ".mean_y");
        NnTildeExporterTest.assertClose(learnt, model.namedBuffers().get(first + ".mean_y").value());

        // Learn the source, then transfer.
        ts.setAttribute("learn_target", false);
        ts.setAttribute("learn_source", true);
        Engine.manualSeed(2);
        ts.run("encode", source);
        adains(model).forEach(a -> {
          a.setLearnTarget(false);
          a.setLearnSource(true);
        });
        Engine.manualSeed(2);
        model.encodeRaw(source);
        ts.setAttribute("learn_source", false);
        adains(model).forEach(a -> a.setLearnSource(false));
        assertThat(exportedBuffer(ts, first + ".num_update_x").toFloatArray()[0]).isPositive();
        assertThat(exportedBuffer(ts, first + ".num_update_y").toFloatArray()[0]).isPositive();
        Engine.manualSeed(3);
        Tensor transferred = ts.run("encode", source);
        Engine.manualSeed(3);
        Tensor expected = model.projectLatent(model.encoder().reparametrize(model.encodeRaw(source)).z());
        NnTildeExporterTest.assertClose(transferred, expected);

        // A reset request is carried out at the next call and cleared.
        ts.setAttribute("reset_target", true);
        ts.run("encode", source);
        assertThat(ts.getAttribute("reset_target")).isEqualTo(false);
        assertThat(exportedBuffer(ts, first + ".num_update_y").toFloatArray()).containsExactly(0f);
      }
    }
  }

  private static Tensor exportedBuffer(TorchScriptModel ts, String name) {
    return ts.buffers().get(name);
  }
}
