package org.jrave.model.blocks;

import org.jrave.engine.NoGrad;
import org.jrave.engine.Parameter;
import org.jrave.engine.Tensor;
import org.jrave.streaming.graph.GraphBuilder;
import org.jrave.streaming.graph.Signal;

/**
 * Batch normalisation over channels ({@code torch.nn.BatchNorm1d}: eps 1e-5, momentum 0.1, affine).
 * Training normalises with batch statistics and updates {@code running_mean}/{@code running_var};
 * eval normalises with the running statistics.
 */
public final class BatchNorm1d extends Layer implements Layer.Pointwise {
  private static final double EPS = 1e-5;
  private static final double MOMENTUM = 0.1;

  private final Parameter weight;
  private final Parameter bias;
  private final Parameter runningMean;
  private final Parameter runningVar;
  private final Parameter batchesTracked;

  public BatchNorm1d(int channels) {
    this.weight = addParameter("weight", Tensor.ones(channels));
    this.bias = addParameter("bias", Tensor.zeros(channels));
    this.runningMean = addBuffer("running_mean", Tensor.zeros(channels));
    this.runningVar = addBuffer("running_var", Tensor.ones(channels));
    this.batchesTracked = addBuffer("num_batches_tracked", Tensor.fromLongs(new long[] {0}));
  }

  public Tensor runningMean() {
    return runningMean.value();
  }

  public Tensor runningVar() {
    return runningVar.value();
  }

  public long batchesTracked() {
    return batchesTracked.value().toLongArray()[0];
  }

  /** In a stream the running statistics apply: a per-channel scale and shift. */
  @Override
  public Signal lower(GraphBuilder g, Signal x) {
    float[] w = weight.value().toFloatArray();
    float[] b = bias.value().toFloatArray();
    float[] mean = runningMean.value().toFloatArray();
    float[] var = runningVar.value().toFloatArray();
    float[] scale = new float[w.length];
    float[] shift = new float[w.length];
    for (int c = 0; c < w.length; c++) {
      scale[c] = (float) (w[c] / Math.sqrt(var[c] + EPS));
      shift[c] = b[c] - mean[c] * scale[c];
    }
    return g.affine("batch_norm", x, scale, shift);
  }

  @Override
  public Tensor forward(Tensor x) {
    boolean training = isTraining();
    if (training) {
      try (NoGrad ignored = NoGrad.enter()) {
        batchesTracked.value().fillInPlace(batchesTracked() + 1);
      }
    }
    return x.batchNorm(weight.value(), bias.value(), runningMean.value(), runningVar.value(), training, MOMENTUM, EPS);
  }
}
