package org.jrave.studio;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jrave.model.RaveModel;
import org.jrave.play.LatentShaper;
import org.jrave.play.LiveEngine;
import org.jrave.play.LiveStats;
import org.jrave.play.LoopingFileInput;
import org.jrave.play.SampleClock;
import org.jrave.streaming.RealtimeProcessor;

/**
 * One browser's live stream: a clip looped through the real-time engine ({@link LiveEngine}: the
 * model one block ahead of a clock at the model's rate) with latent bias and scale per PCA dimension
 * ({@link LatentShaper}), each block sent to the browser as it is due. Owns its processor.
 */
final class LiveSession implements AutoCloseable {

  private final LatentShaper shaper;
  private final RealtimeProcessor processor;
  private final LiveEngine engine;
  private final BoundedSender sender;
  private final StreamOutput output;
  private volatile int version;

  private LiveSession(RaveModel model, float[][] loop, int block, BoundedSender sender) {
    this.shaper = LatentShaper.identity(model);
    this.processor = RealtimeProcessor.forward(model, block);
    processor.setLatentEdit(shaper);
    VersionTaggedProcessor tagged = new VersionTaggedProcessor(processor, () -> version);
    SampleClock clock = new SampleClock(processor.sampleRate());
    this.sender = sender;
    this.output = new StreamOutput(clock, block, sender, tagged);
    this.engine = new LiveEngine(tagged, new LoopingFileInput(loop, clock, "clip"), output, Long.MAX_VALUE);
  }

  /** Builds the processor (the model's weights packed for streaming) and starts the stream. */
  static LiveSession start(RaveModel model, float[][] loop, int block, BoundedSender sender) {
    LiveSession session = new LiveSession(model, loop, block, sender);
    session.engine.start();
    return session;
  }

  /** The block size for a wanted size: a multiple of the model's ratio, at least one ratio. */
  static int blockFor(int wanted, int ratio) {
    return Math.max(ratio, (wanted + ratio - 1) / ratio * ratio);
  }

  /** Sets one PCA dimension's bias and scale; blocks computed from now on carry {@code newVersion}. */
  void setLatent(int dim, float bias, float scale, int newVersion) {
    shaper.control().setBias(dim, bias);
    shaper.control().setScale(dim, scale);
    version = newVersion;
  }

  void reset(int newVersion) {
    shaper.control().clear();
    version = newVersion;
  }

  /** What the page shows under the sliders. */
  Map<String, Object> stats() {
    LiveStats s = engine.stats();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "stats");
    m.put("engineLatencyMs", engine.latencyMillis());
    m.put("blockMs", 1000.0 * processor.blockSize() / processor.sampleRate());
    m.put("modelLatencyMs", 1000.0 * processor.latency() / processor.sampleRate());
    m.put("blocksPlayed", s.blocks());
    m.put("dropouts", s.dropouts());
    m.put("underruns", s.underruns());
    m.put("networkDrops", sender.dropped());
    m.put("modelMsMedian", s.medianMillis());
    m.put("modelMsP99", s.p99Millis());
    m.put("running", engine.isRunning());
    Throwable failure = engine.failure();
    if (failure != null) {
      m.put("failure", String.valueOf(failure.getMessage()));
    }
    return m;
  }

  Map<String, Object> started() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "started");
    m.put("sampleRate", processor.sampleRate());
    m.put("block", processor.blockSize());
    m.put("dimensions", shaper.dimensions());
    m.put("engineLatencyMs", engine.latencyMillis());
    return m;
  }

  @Override
  public void close() {
    try {
      engine.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      processor.close();
    }
  }
}
