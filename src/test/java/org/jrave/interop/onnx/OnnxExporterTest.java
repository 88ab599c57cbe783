package org.jrave.interop.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.Presets;
import org.jrave.streaming.RealtimeProcessor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The streaming ONNX export, run by ONNX Runtime with its caches fed back block after block, gives
 * what jrave's real-time processor gives for the same input and the same noise: v2 (noise,
 * causal, Snake), v1 and v2_small, forward and decode.
 */
class OnnxExporterTest {
  @TempDir Path dir;

  static final int FRAMES = 4;
  static final int BLOCKS = 6;

  @ParameterizedTest
  @CsvSource({"v2+noise,FORWARD", "v2+noise,DECODE", "v2+causal+snake,FORWARD", "v1,FORWARD", "v1+causal,DECODE",
      "v2_small+causal,FORWARD"})
  void onnxRuntimeBlocksMatchTheRealtimeProcessor(String presets, OnnxExporter.Method method) throws Exception {
    Path file = dir.resolve("m.onnx");
    boolean forward = method == OnnxExporter.Method.FORWARD;
    try (TensorScope s = new TensorScope(); NoGrad ng = NoGrad.enter();
        RaveModel model = RaveFactory.build(Presets.builder(List.of(presets.split("\\+"))).capacity(4).latentSize(8).build())) {
      OnnxExporter.Signature sig = OnnxExporter.export(model, method, FRAMES, file);
      int samples = FRAMES * model.ratio();
      assertThat(sig.blockSamples()).isEqualTo(samples);
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
          RealtimeProcessor native_ = forward ? RealtimeProcessor.forward(model, samples) : RealtimeProcessor.decoder(model, FRAMES)) {
        native_.setDeterministic(true);
        Map<String, float[]> state = new HashMap<>();
        sig.inputs().forEach((k, shape) -> {
          if (k.startsWith("state.")) {
            state.put(k, new float[(int) numel(shape)]);
          }
        });
        assertThat(state).isNotEmpty();
        Random r = new Random(5);
        double worst = 0;
        double peak = 0;
        String inName = forward ? "audio" : "z";
        long[] inShape = sig.inputs().get(inName);
        long[] noiseShape = sig.inputs().get("noise");
        for (int b = 0; b < BLOCKS; b++) {
          float[] in = gaussian(r, (int) numel(inShape), 0.3);
          Map<String, OnnxTensor> feed = new HashMap<>();
          feed.put(inName, OnnxTensor.createTensor(env, FloatBuffer.wrap(in), inShape));
          if (forward) {
            long[] eps = sig.inputs().get("eps");
            feed.put("eps", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[(int) numel(eps)]), eps));
          }
          if (noiseShape != null) {
            float[] noise = uniform(r, (int) numel(noiseShape));
            feed.put("noise", OnnxTensor.createTensor(env, FloatBuffer.wrap(noise), noiseShape));
            Tensor replay = Tensor.fromFloats(noise, noiseShape).retain();
            native_.setNoise((device, shape) -> {
              assertThat(shape).containsExactly(noiseShape);
              return replay;
            });
          }
          feed.put("block_index", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {b}), new long[] {1}));
          for (var e : state.entrySet()) {
            feed.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue()), sig.inputs().get(e.getKey())));
          }
          float[] onnxOut;
          try (OrtSession.Result result = session.run(feed)) {
            onnxOut = flat(result, "audio_out");
            for (String k : List.copyOf(state.keySet())) {
              state.put(k, flat(result, "state_out." + k.substring("state.".length())));
            }
          }
          feed.values().forEach(OnnxTensor::close);

          int rows = (int) inShape[1];
          int len = (int) inShape[2];
          float[][] blockIn = new float[rows][len];
          for (int c = 0; c < rows; c++) {
            System.arraycopy(in, c * len, blockIn[c], 0, len);
          }
          float[][] nativeOut = new float[1][samples];
          native_.process(blockIn, nativeOut);
          for (int i = 0; i < samples; i++) {
            worst = Math.max(worst, Math.abs(onnxOut[i] - nativeOut[0][i]));
            peak = Math.max(peak, Math.abs(nativeOut[0][i]));
          }
        }
        System.out.printf("%s %s: peak %.3g, max difference %.3g%n", presets, method, peak, worst);
        // Random small models are quiet (v1, v2_small: peaks of 2e-5): the tolerance is relative too.
        assertThat(peak).as("the stream produces sound").isGreaterThan(1e-5);
        assertThat(worst).as("max abs difference over %d blocks (peak %s)", BLOCKS, peak)
            .isLessThan(Math.min(1e-4, 1e-3 * peak));
      }
    }
  }

  private static float[] flat(OrtSession.Result result, String name) throws Exception {
    OnnxTensor t = (OnnxTensor) result.get(name).orElseThrow();
    FloatBuffer b = t.getFloatBuffer();
    float[] out = new float[b.remaining()];
    b.get(out);
    return out;
  }

  private static long numel(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  private static float[] gaussian(Random r, int n, double scale) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (scale * r.nextGaussian());
    }
    return x;
  }

  private static float[] uniform(Random r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextFloat();
    }
    return x;
  }
}
