package org.jrave.interop;

import org.jrave.streaming.BlockProcessor;
import org.jrave.streaming.BlockProcessors;

/**
 * {@link BlockProcessors} over an nn~ TorchScript model: each block is one call of the model's
 * method, as nn~ makes it. Whatever state the model keeps (a streaming export's caches) lives in
 * the module, so processors of one model share it. The latency is the model's
 * {@code <method>_latency} attribute (samples) when it has one (jrave's streaming exports do), else 0.
 */
public final class TorchScriptProcessors implements BlockProcessors {

  private final TorchScriptModel model;

  public TorchScriptProcessors(TorchScriptModel model) {
    this.model = model;
  }

  @Override
  public int ratio() {
    TorchScriptModel.MethodSpec encode = model.requireMethod("encode");
    return encode.outRatio() / encode.inRatio();
  }

  @Override
  public BlockProcessor forward(int blockSize) {
    return new Processor(model.requireMethod("forward"), blockSize);
  }

  @Override
  public BlockProcessor encoder(int blockSize) {
    return new Processor(model.requireMethod("encode"), blockSize);
  }

  @Override
  public BlockProcessor decoder(int frames) {
    return new Processor(model.requireMethod("decode"), frames);
  }

  private int latency(String method) {
    return model.scalar(method + "_latency").filter(Long.class::isInstance).map(v -> (int) (long) (Long) v).orElse(0);
  }

  private final class Processor implements BlockProcessor {
    private final TorchScriptModel.MethodSpec method;
    private final int blockSize;

    Processor(TorchScriptModel.MethodSpec method, int blockSize) {
      int step = model.blockStep(method);
      if (blockSize <= 0 || blockSize % step != 0) {
        throw new IllegalArgumentException(method.name() + " of " + model.file().getFileName()
            + " takes blocks of a positive multiple of " + step + (method.inRatio() == 1 ? " samples" : " frames")
            + ", got " + blockSize);
      }
      this.method = method;
      this.blockSize = blockSize;
    }

    @Override
    public int blockSize() {
      return blockSize;
    }

    @Override
    public int channels() {
      return method.inRatio() == 1 ? method.inChannels() : method.outChannels();
    }

    @Override
    public int latency() {
      return TorchScriptProcessors.this.latency(method.name());
    }

    @Override
    public int sampleRate() {
      return model.sampleRate();
    }

    @Override
    public int latentDimensions() {
      return method.inRatio() == 1 ? method.outChannels() : method.inChannels();
    }

    @Override
    public int outputLength() {
      return (int) method.outputFrames(blockSize);
    }

    @Override
    public void setDeterministic(boolean on) {
      if (on) {
        throw new IllegalArgumentException("--deterministic is not available for TorchScript models: their "
            + "sampling and noise happen inside the compiled code");
      }
    }

    @Override
    public void process(float[][] input, float[][] output) {
      float[][] y = model.process(method.name(), input);
      if (output.length != y.length || output[0].length != y[0].length) {
        throw new IllegalArgumentException("the output block must be [" + y.length + "][" + y[0].length + "]");
      }
      for (int c = 0; c < y.length; c++) {
        System.arraycopy(y[c], 0, output[c], 0, y[c].length);
      }
    }

    @Override
    public void encode(float[][] input, float[][] latentOut) {
      process(input, latentOut);
    }

    @Override
    public void close() {
      // The module belongs to the model.
    }
  }
}
