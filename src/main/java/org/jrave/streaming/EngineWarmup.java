package org.jrave.streaming;

import java.util.List;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Precision;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.Presets;
import org.jrave.model.noise.NoiseSource;

/**
 * Gets the block engine's kernels compiled before the first real block. The JIT compiles the
 * vector loops only after many calls, and until then every vector is an object: a full-size model's
 * first few hundred blocks would run several times slower (and allocate megabytes per block). A tiny
 * model streamed for a moment, once per process, takes the kernels through every form they have.
 */
final class EngineWarmup {
  private static final int BLOCKS = 400;

  private EngineWarmup() {}

  /** Runs the warm-up the first time it is called in this process (about a second). */
  static void ensureDone() {
    Once.done();
  }

  private static final class Once {
    static {
      run();
    }

    static void done() {
      // Class initialisation above ran exactly once, thread-safely.
    }
  }

  private static void run() {
    // v2_small's short blocks take every kernel form through the JIT quickly; v1 adds its own steps.
    for (List<String> presets : List.of(List.of("v2_small", "causal"), List.of("v1"))) {
      for (Precision precision : Precision.values()) {
        try (NoGrad ng = NoGrad.enter();
            RaveModel model = RaveFactory.build(Presets.builder(presets).capacity(4).build());
            StreamingModel stream = new StreamingModel(model, StreamingModel.Method.FORWARD, false, precision,
                false)) {
          stream.setNoise(NoiseSource.SILENT);
          int block = model.ratio();
          stream.prepare(block);
          float[][] audio = new float[model.config().channels()][block];
          float[][] raw = new float[stream.encoderGraph().output().channels()][1];
          float[][] latent = new float[stream.decoderGraph().inputs().get(0).channels()][1];
          float[][] out = new float[model.config().channels()][block];
          int blocks = presets.contains("v1") ? BLOCKS / 3 : BLOCKS;
          for (int i = 0; i < blocks; i++) {
            audio[0][i % block] = (float) Math.sin(i);
            StreamingModel.runBlock(stream.encoderGraph(), audio, raw);
            for (int d = 0; d < latent.length; d++) {
              latent[d][0] = raw[d][0];
            }
            StreamingModel.runBlock(stream.decoderGraph(), latent, out);
          }
        }
      }
    }
  }
}
