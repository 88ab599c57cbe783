package org.jrave.engine;

import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * An n-dimensional array on a {@link Device}, backed by a libtorch tensor. Operations return new
 * tensors (PyTorch semantics, including autograd); methods ending in {@code InPlace} modify this
 * one.
 *
 * <p>Lifetime: a tensor made inside a {@link TensorScope} is freed when the scope closes; a tensor
 * that must outlive its scope (parameters, buffers, streaming caches) is {@link #retain()}ed by its
 * owner and {@link #close()}d when the owner closes.
 */
public final class Tensor implements AutoCloseable {

  private final org.bytedeco.pytorch.Tensor handle;

  Tensor(org.bytedeco.pytorch.Tensor handle) {
    this.handle = handle;
  }

  org.bytedeco.pytorch.Tensor handle() {
    return handle;
  }

  static Tensor wrap(org.bytedeco.pytorch.Tensor handle) {
    return new Tensor(handle);
  }

  // ---------------------------------------------------------------- creation

  private static TensorOptions floatOptions(Device device) {
    TensorOptions options = new TensorOptions(torch.ScalarType.Float);
    return device.isCuda() ? options.device(new org.bytedeco.pytorch.DeviceOptional(device.toNative())) : options;
  }

  /** A float32 CPU tensor holding a copy of {@code data} (C order) with the given shape. */
  public static Tensor fromFloats(float[] data, long... shape) {
    Engine.ensureInitialized();
    long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    if (n != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
    }
    Tensor t = new Tensor(torch.empty(shape, floatOptions(Device.CPU), null));
    if (n > 0) {
      t.handle.data_ptr_float().put(data);
    }
    return t;
  }

  /** A float32 CPU tensor holding a copy of {@code data} (C order) with the given shape. */
  public static Tensor fromFloats(java.nio.FloatBuffer data, long... shape) {
    float[] copy = new float[data.remaining()];
    data.duplicate().get(copy);
    return fromFloats(copy, shape);
  }

  /** An int64 CPU tensor holding a copy of {@code data} with the given shape. */
  public static Tensor fromLongs(long[] data, long... shape) {
    Engine.ensureInitialized();
    Tensor t = new Tensor(torch.empty(shape, new TensorOptions(torch.ScalarType.Long), null));
    if (data.length > 0) {
      new LongPointer(t.handle.data_ptr()).put(data);
    }
    return t;
  }

  public static Tensor zeros(long... shape) {
    return zeros(Device.CPU, shape);
  }

  public static Tensor zeros(Device device, long... shape) {
    Engine.ensureInitialized();
    return new Tensor(torch.zeros(shape, floatOptions(device)));
  }

  public static Tensor ones(long... shape) {
    Engine.ensureInitialized();
    return new Tensor(torch.ones(shape, floatOptions(Device.CPU)));
  }

  public static Tensor full(double value, long... shape) {
    Engine.ensureInitialized();
    return new Tensor(torch.full(shape, new Scalar(value), floatOptions(Device.CPU)));
  }

  /** Standard normal draws from torch's global generator. */
  public static Tensor randn(Device device, long... shape) {
    Engine.ensureInitialized();
    return new Tensor(torch.randn(shape, floatOptions(device)));
  }

  /** Uniform draws in [0, 1) from torch's global generator. */
  public static Tensor rand(Device device, long... shape) {
    Engine.ensureInitialized();
    return new Tensor(torch.rand(shape, floatOptions(device)));
  }

  /** A random permutation of {@code 0 .. n-1} (int64) from torch's global generator. */
  public static Tensor randperm(Device device, long n) {
    Engine.ensureInitialized();
    return new Tensor(torch.randperm(n, longOptions(device)));
  }

  /** Uniform integers in {@code [0, high)} (int64) from torch's global generator. */
  public static Tensor randint(Device device, long high, long... shape) {
    Engine.ensureInitialized();
    return new Tensor(torch.randint(high, shape, longOptions(device)));
  }

  private static TensorOptions longOptions(Device device) {
    TensorOptions options = new TensorOptions(torch.ScalarType.Long);
    return device.isCuda() ? options.device(new org.bytedeco.pytorch.DeviceOptional(device.toNative())) : options;
  }

  /** Element-wise {@code condition ? ifTrue : ifFalse} (broadcasting). */
  public static Tensor where(Tensor condition, Tensor ifTrue, Tensor ifFalse) {
    return new Tensor(torch.where(condition.handle, ifTrue.handle, ifFalse.handle));
  }

  /** The periodic Hann window of length n (PyTorch's default). */
  public static Tensor hannWindow(long n) {
    Engine.ensureInitialized();
    return new Tensor(torch.hann_window(n, true, floatOptions(Device.CPU)));
  }

  /**
   * The periodic Hann window of length n for use with {@code like}, on its device: float64 for a
   * float64 tensor (a float64 computation needs float64 windows, not widened float32 ones), float32
   * otherwise.
   */
  public static Tensor hannWindow(long n, Tensor like) {
    if (!like.isDouble()) {
      return hannWindow(n).to(like.device());
    }
    Engine.ensureInitialized();
    return new Tensor(torch.hann_window(n, true, new TensorOptions(torch.ScalarType.Double))).to(like.device());
  }

  public static Tensor cat(List<Tensor> tensors, long dim) {
    TensorVector v = new TensorVector(tensors.size());
    for (int i = 0; i < tensors.size(); i++) {
      v.put(i, tensors.get(i).handle);
    }
    return new Tensor(torch.cat(v, dim));
  }

  public static Tensor stack(List<Tensor> tensors, long dim) {
    TensorVector v = new TensorVector(tensors.size());
    for (int i = 0; i < tensors.size(); i++) {
      v.put(i, tensors.get(i).handle);
    }
    return new Tensor(torch.stack(v, dim));
  }

  // ---------------------------------------------------------------- metadata and data

  public long[] shape() {
    long dims = handle.dim();
    long[] shape = new long[(int) dims];
    for (int i = 0; i < dims; i++) {
      shape[i] = handle.size(i);
    }
    return shape;
  }

  public long size(int dim) {
    return handle.size(dim < 0 ? dim + handle.dim() : dim);
  }

  public int dim() {
    return (int) handle.dim();
  }

  public long numel() {
    return handle.numel();
  }

  public boolean isFloat() {
    // JavaCPP may hand back a distinct enum instance for the same dtype: compare the values.
    return handle.scalar_type().value == torch.ScalarType.Float.value;
  }

  public boolean isDouble() {
    return handle.scalar_type().value == torch.ScalarType.Double.value;
  }

  /** Whether this tensor holds bfloat16 values (a mixed-precision result, see {@link Autocast}). */
  public boolean isBFloat16() {
    return handle.scalar_type().value == torch.ScalarType.BFloat16.value;
  }

  /** Zeros of this tensor's shape, number format and device. */
  public Tensor zerosLike() {
    return new Tensor(torch.zeros_like(handle));
  }

  public Tensor onesLike() {
    return new Tensor(torch.ones_like(handle));
  }

  public Device device() {
    return handle.is_cuda() ? Device.cuda(handle.device().index()) : Device.CPU;
  }

  /** A copy of the values in C order, converted to float32 and moved to the CPU if needed. */
  public float[] toFloatArray() {
    try (PointerScope ignored = new PointerScope()) {
      org.bytedeco.pytorch.Tensor cpu = handle.to(torch.ScalarType.Float).cpu().contiguous();
      float[] out = new float[(int) cpu.numel()];
      if (out.length > 0) {
        FloatPointer p = cpu.data_ptr_float();
        p.get(out);
      }
      return out;
    }
  }

  /** Copies the values in C order (as float32) into {@code dst} from {@code offset}. */
  public void copyInto(float[] dst, int offset) {
    try (PointerScope ignored = new PointerScope()) {
      org.bytedeco.pytorch.Tensor cpu = handle.to(torch.ScalarType.Float).cpu().contiguous();
      long n = cpu.numel();
      if (n > 0) {
        cpu.data_ptr_float().get(dst, offset, (int) n);
      }
    }
  }

  /** A copy of the values in C order as int64 (for integer buffers). */
  public long[] toLongArray() {
    try (PointerScope ignored = new PointerScope()) {
      org.bytedeco.pytorch.Tensor cpu = handle.to(torch.ScalarType.Long).cpu().contiguous();
      long[] out = new long[(int) cpu.numel()];
      if (out.length > 0) {
        new LongPointer(cpu.data_ptr()).get(out);
      }
      return out;
    }
  }

  public float item() {
    return handle.item_float();
  }

  /** The value of a one-element tensor, as a double (exact for float32 and float64 tensors). */
  public double itemDouble() {
    return handle.item_double();
  }

  // ---------------------------------------------------------------- lifetime

  /** Keeps this tensor alive past the enclosing {@link TensorScope}s until {@link #close()}. */
  public Tensor retain() {
    handle.retainReference();
    return this;
  }

  /** Frees the native memory now. The tensor must not be used afterwards. */
  @Override
  public void close() {
    handle.close();
  }

  // ---------------------------------------------------------------- autograd

  public Tensor requiresGrad(boolean requires) {
    handle.set_requires_grad(requires);
    return this;
  }

  public boolean requiresGrad() {
    return handle.requires_grad();
  }

  /** The accumulated gradient, or null when none was computed. */
  public Tensor grad() {
    org.bytedeco.pytorch.Tensor g = handle.grad();
    return g.defined() ? new Tensor(g) : null;
  }

  public void backward() {
    handle.backward();
  }

  /**
   * Backpropagates from several roots in one pass, each seeded with its gradient: a loss and an
   * output whose gradient was computed separately share one traversal of the graph below them.
   */
  public static void backward(List<Tensor> roots, List<Tensor> gradients) {
    org.bytedeco.pytorch.Tensor[] r = roots.stream().map(t -> t.handle).toArray(org.bytedeco.pytorch.Tensor[]::new);
    org.bytedeco.pytorch.Tensor[] g = gradients.stream().map(t -> t.handle).toArray(org.bytedeco.pytorch.Tensor[]::new);
    torch.backward(new TensorVector(r), new TensorVector(g), new BoolOptional(), false, new TensorVector());
  }

  public Tensor detach() {
    return new Tensor(handle.detach());
  }

  // ---------------------------------------------------------------- device and copies

  public Tensor to(Device device) {
    if (device.equals(device())) {
      return this;
    }
    return new Tensor(handle.to(device.toNative(), torch.ScalarType.Float));
  }

  /** This tensor in {@code precision}'s number format; itself when it already is in it. */
  public Tensor to(Precision precision) {
    return sameType(handle, precision.scalarType()) ? this : new Tensor(handle.to(precision.scalarType()));
  }

  /** This tensor in {@code other}'s number format; itself when it already is in it. */
  public Tensor toTypeOf(Tensor other) {
    torch.ScalarType type = other.handle.scalar_type();
    return sameType(handle, type) ? this : new Tensor(handle.to(type));
  }

  private static boolean sameType(org.bytedeco.pytorch.Tensor t, torch.ScalarType type) {
    // JavaCPP may hand back a distinct enum instance for the same dtype: compare the values.
    return t.scalar_type().value == type.value;
  }

  public Tensor toDouble() {
    return new Tensor(handle.to(torch.ScalarType.Double));
  }

  public Tensor toFloat() {
    return new Tensor(handle.to(torch.ScalarType.Float));
  }

  public Tensor toLong() {
    return new Tensor(handle.to(torch.ScalarType.Long));
  }

  public Tensor copy() {
    return new Tensor(handle.clone());
  }

  public Tensor contiguous() {
    return new Tensor(handle.contiguous());
  }

  /** Overwrites this tensor's values with {@code source}'s (same shape, broadcastable). */
  public Tensor copyInPlace(Tensor source) {
    handle.copy_(source.handle);
    return this;
  }

  public Tensor zeroInPlace() {
    handle.zero_();
    return this;
  }

  public Tensor fillInPlace(double value) {
    handle.fill_(new Scalar(value));
    return this;
  }

  // ---------------------------------------------------------------- shape

  public Tensor reshape(long... shape) {
    return new Tensor(handle.reshape(shape));
  }

  public Tensor permute(long... dims) {
    return new Tensor(handle.permute(dims));
  }

  public Tensor transpose(long a, long b) {
    return new Tensor(handle.transpose(a, b));
  }

  public Tensor unsqueeze(long dim) {
    return new Tensor(handle.unsqueeze(dim));
  }

  /** Windows of {@code size} every {@code step} along {@code dim}, as a new last axis (a view). */
  public Tensor unfold(long dim, long size, long step) {
    return new Tensor(handle.unfold(dim, size, step));
  }

  /** Whether this tensor is a view sharing another tensor's storage. */
  public boolean isView() {
    return handle.is_view();
  }

  public Tensor squeeze(long dim) {
    return new Tensor(handle.squeeze(dim));
  }

  /** Elements {@code [start, start + length)} along {@code dim} (a view). */
  public Tensor narrow(long dim, long start, long length) {
    return new Tensor(handle.narrow(dim, start, length));
  }

  public Tensor select(long dim, long index) {
    return new Tensor(handle.select(dim, index));
  }

  public Tensor flip(long... dims) {
    return new Tensor(handle.flip(dims));
  }

  public Tensor roll(long shift, long dim) {
    return new Tensor(torch.roll(handle, new long[] {shift}, dim));
  }

  public Tensor expand(long... shape) {
    return new Tensor(handle.expand(shape));
  }

  public Tensor repeat(long... repeats) {
    return new Tensor(handle.repeat(repeats));
  }

  /** Splits into chunks of {@code size} along {@code dim} (the last may be shorter). */
  public List<Tensor> split(long size, long dim) {
    TensorVector parts = handle.split(size, dim);
    Tensor[] out = new Tensor[(int) parts.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = new Tensor(parts.get(i));
    }
    return List.of(out);
  }

  /** Zero padding of the last dimension: {@code left} values before, {@code right} after. */
  public Tensor padLast(long left, long right) {
    if (left == 0 && right == 0) {
      return this;
    }
    return new Tensor(torch.constant_pad_nd(handle, left, right));
  }

  /** Reflection padding of the last dimension (as torch.nn.functional.pad, mode='reflect'). */
  public Tensor padReflectLast(long left, long right) {
    return new Tensor(torch.reflection_pad1d(handle, left, right));
  }

  // ---------------------------------------------------------------- arithmetic

  public Tensor add(Tensor other) {
    return new Tensor(handle.add(other.handle));
  }

  public Tensor add(double value) {
    return new Tensor(handle.add(new Scalar(value)));
  }

  public Tensor addInPlace(Tensor other) {
    handle.add_(other.handle);
    return this;
  }

  /** {@code this += alpha * other}, in place. */
  public Tensor addInPlace(Tensor other, double alpha) {
    handle.add_(other.handle, new Scalar(alpha));
    return this;
  }

  public Tensor sub(Tensor other) {
    return new Tensor(handle.sub(other.handle));
  }

  public Tensor sub(double value) {
    return new Tensor(handle.sub(new Scalar(value)));
  }

  public Tensor mul(Tensor other) {
    return new Tensor(handle.mul(other.handle));
  }

  public Tensor mul(double value) {
    return new Tensor(handle.mul(new Scalar(value)));
  }

  public Tensor mulInPlace(double value) {
    handle.mul_(new Scalar(value));
    return this;
  }

  public Tensor div(Tensor other) {
    return new Tensor(handle.div(other.handle));
  }

  public Tensor div(double value) {
    return new Tensor(handle.div(new Scalar(value)));
  }

  public Tensor neg() {
    return new Tensor(handle.neg());
  }

  public Tensor pow(double exponent) {
    return new Tensor(handle.pow(new Scalar(exponent)));
  }

  public Tensor square() {
    return new Tensor(handle.square());
  }

  public Tensor sqrt() {
    return new Tensor(handle.sqrt());
  }

  public Tensor abs() {
    return new Tensor(handle.abs());
  }

  public Tensor exp() {
    return new Tensor(handle.exp());
  }

  public Tensor log() {
    return new Tensor(handle.log());
  }

  public Tensor sin() {
    return new Tensor(handle.sin());
  }

  public Tensor cos() {
    return new Tensor(handle.cos());
  }

  public Tensor tanh() {
    return new Tensor(handle.tanh());
  }

  public Tensor sigmoid() {
    return new Tensor(handle.sigmoid());
  }

  public Tensor softplus() {
    return new Tensor(torch.softplus(handle));
  }

  public Tensor relu() {
    return new Tensor(torch.relu(handle));
  }

  public Tensor leakyRelu(double negativeSlope) {
    return new Tensor(torch.leaky_relu(handle, new Scalar(negativeSlope)));
  }

  /**
   * LeakyReLU written over this tensor. Autograd then keeps the result instead of the input (same
   * gradient for a positive slope), so a dead input costs no second buffer.
   */
  public Tensor leakyReluInPlace(double negativeSlope) {
    torch.leaky_relu_(handle, new Scalar(negativeSlope));
    return this;
  }

  public Tensor clamp(double min, double max) {
    return new Tensor(torch.clamp(handle, new org.bytedeco.pytorch.ScalarOptional(new Scalar(min)),
        new org.bytedeco.pytorch.ScalarOptional(new Scalar(max))));
  }

  public Tensor acos() {
    return new Tensor(handle.acos());
  }

  /** Python-style modulo: the result has the sign of {@code divisor}. */
  public Tensor remainder(double divisor) {
    return new Tensor(handle.remainder(new Scalar(divisor)));
  }

  /** Boolean mask {@code this < value}. */
  public Tensor lessThan(double value) {
    return new Tensor(handle.lt(new Scalar(value)));
  }

  /** Boolean mask {@code this == value}. */
  public Tensor equalTo(double value) {
    return new Tensor(handle.eq(new Scalar(value)));
  }

  public Tensor clampMin(double min) {
    return new Tensor(torch.clamp_min(handle, new Scalar(min)));
  }

  public Tensor matmul(Tensor other) {
    return new Tensor(handle.matmul(other.handle));
  }

  // ---------------------------------------------------------------- reductions

  public Tensor sum() {
    return new Tensor(handle.sum());
  }

  public Tensor sum(long dim, boolean keepDim) {
    return new Tensor(handle.sum(new long[] {dim}, keepDim, new org.bytedeco.pytorch.ScalarTypeOptional()));
  }

  public Tensor mean() {
    return new Tensor(handle.mean());
  }

  public Tensor mean(long dim, boolean keepDim) {
    return new Tensor(handle.mean(new long[] {dim}, keepDim, new org.bytedeco.pytorch.ScalarTypeOptional()));
  }

  /** Standard deviation along {@code dim}, unbiased (N - 1) when {@code unbiased}. */
  public Tensor std(long dim, boolean unbiased, boolean keepDim) {
    return new Tensor(handle.std(new long[] {dim}, unbiased, keepDim));
  }

  /** Euclidean norm over every dimension except {@code keptDim} (kept with size, others 1). */
  public Tensor normExceptDim(int keptDim) {
    long[] dims = new long[dim() - 1];
    for (int i = 0, j = 0; i < dim(); i++) {
      if (i != keptDim) {
        dims[j++] = i;
      }
    }
    return new Tensor(torch.norm(handle, new org.bytedeco.pytorch.ScalarOptional(new Scalar(2.0)), dims, true));
  }

  /** Running sum along {@code dim}. */
  public Tensor cumsum(long dim) {
    return new Tensor(handle.cumsum(dim));
  }

  /** Running product along {@code dim}. */
  public Tensor cumprod(long dim) {
    return new Tensor(handle.cumprod(dim));
  }

  /** Index (int64) of the smallest value along {@code dim}, which is removed. */
  public Tensor argmin(long dim) {
    return new Tensor(handle.argmin(new org.bytedeco.pytorch.LongOptional(dim), false));
  }

  // ---------------------------------------------------------------- indexing

  /** The slices at the int64 {@code index} positions along {@code dim}, in index order. */
  public Tensor indexSelect(long dim, Tensor index) {
    return new Tensor(handle.index_select(dim, index.handle));
  }

  /**
   * A copy of this tensor where slice {@code index[i]} along {@code dim} has {@code source}'s slice
   * i added (repeated indices accumulate): per-bucket counts and sums.
   */
  public Tensor indexAdd(long dim, Tensor index, Tensor source) {
    return new Tensor(torch.index_add(handle, dim, index.handle, source.handle));
  }

  // ---------------------------------------------------------------- normalisation

  /**
   * Batch normalisation over every axis but 1 (channels), as {@code torch.nn.functional.batch_norm}.
   * When {@code training}, batch statistics are used and the running statistics are updated in place
   * ({@code running = (1 - momentum) running + momentum batch}, unbiased variance); otherwise the
   * running statistics are used.
   */
  public Tensor batchNorm(Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
      boolean training, double momentum, double eps) {
    return new Tensor(torch.batch_norm(handle, optional(weight), optional(bias), optional(runningMean),
        optional(runningVar), training, momentum, eps, false));
  }

  private static TensorOptional optional(Tensor t) {
    return t == null ? new TensorOptional() : new TensorOptional(t.handle);
  }

  public float maxAbs() {
    try (PointerScope ignored = new PointerScope()) {
      return handle.abs().max().item_float();
    }
  }

  // ---------------------------------------------------------------- convolutions and spectra

  /** 1-D cross-correlation without padding (pad explicitly first), PyTorch weight layout. */
  public Tensor conv1d(Tensor weight, Tensor bias, long stride, long dilation, long groups) {
    return conv1d(weight, bias, stride, 0, dilation, groups);
  }

  /**
   * 1-D cross-correlation with symmetric zero padding done by the kernel. Beware: for some shapes
   * libtorch then picks a much slower kernel than for explicit padding (see Conv1d).
   */
  public Tensor conv1d(Tensor weight, Tensor bias, long stride, long padding, long dilation, long groups) {
    ConvolutionShapes.add(this, weight, stride, padding, dilation, groups, bias != null);
    return convolution(weight, bias, groups, (in, w, b) ->
        torch.conv1d(in, w, b, new long[] {stride}, new long[] {padding}, new long[] {dilation}, groups));
  }

  /**
   * As {@link #conv1d(Tensor, Tensor, long, long, long, long)}, computed by {@code kernel} (the
   * default kernel where the chosen one does not support the geometry).
   */
  public Tensor conv1d(Tensor weight, Tensor bias, long stride, long padding, long dilation, long groups,
      ConvolutionKernel kernel) {
    // The choices are float32 CPU measurements: elsewhere, and under mixed precision (whose casts
    // libtorch applies to its default convolution only), libtorch's own choice stands.
    if (kernel == ConvolutionKernel.DEFAULT || !kernel.supports(dilation, groups) || !handle.is_cpu()
        || torch.is_autocast_enabled(torch.DeviceType.CPU) || !sameType(handle, weight.handle.scalar_type())) {
      return conv1d(weight, bias, stride, padding, dilation, groups);
    }
    ConvolutionShapes.add(this, weight, stride, padding, dilation, groups, bias != null);
    return switch (kernel) {
      case DEFAULT -> conv1d(weight, bias, stride, padding, dilation, groups);
      case NATIVE -> nativeConv1d(weight, bias, stride, padding);
      case UNFOLD_MATMUL -> unfoldedConv1d(weight, bias, stride, padding);
    };
  }

  /** libtorch's im2col convolution on {@code [B, C, 1, T]}. */
  private Tensor nativeConv1d(Tensor weight, Tensor bias, long stride, long padding) {
    long k = weight.handle.size(2);
    org.bytedeco.pytorch.Tensor input = handle.unsqueeze(2);
    org.bytedeco.pytorch.Tensor weight2d = weight.handle.unsqueeze(2);
    org.bytedeco.pytorch.Tensor y = torch.thnn_conv2d(input, weight2d,
        new long[] {1, k}, bias == null ? new TensorOptional() : new TensorOptional(bias.handle),
        new long[] {1, stride}, 0, padding);
    Tensor out = new Tensor(y.squeeze(2));
    y.close();
    input.close();
    weight2d.close();
    countConvolution(weight, out.numel() / out.size(1));
    return out;
  }

  /** Windows {@code [B*T', C*k]} times {@code W^T [C*k, O]}, then back to {@code [B, O, T']}. */
  private Tensor unfoldedConv1d(Tensor weight, Tensor bias, long stride, long padding) {
    long b = handle.size(0);
    long c = handle.size(1);
    long out = weight.handle.size(0);
    long k = weight.handle.size(2);
    org.bytedeco.pytorch.Tensor padded = padding == 0 ? handle
        : torch.constant_pad_nd(handle, new long[] {padding, padding});
    org.bytedeco.pytorch.Tensor windows = padded.unfold(2, k, stride);   // [B, C, T', k], a view
    long frames = windows.size(2);
    org.bytedeco.pytorch.Tensor windowsByFrame = windows.permute(0, 2, 1, 3);
    org.bytedeco.pytorch.Tensor columns = windowsByFrame.reshape(b * frames, c * k);
    org.bytedeco.pytorch.Tensor rows = weight.handle.reshape(out, c * k);
    org.bytedeco.pytorch.Tensor matrix = rows.t();
    org.bytedeco.pytorch.Tensor y = bias == null ? columns.matmul(matrix) : torch.addmm(bias.handle, columns, matrix);
    org.bytedeco.pytorch.Tensor framesFirst = y.reshape(b, frames, out);
    org.bytedeco.pytorch.Tensor channelsFirst = framesFirst.permute(0, 2, 1);
    Tensor result = new Tensor(channelsFirst.contiguous());
    // Intermediates and views (which keep their storage alive) are dead here: autograd holds what
    // it saved. Freed now, not with the enclosing scope.
    for (org.bytedeco.pytorch.Tensor t : new org.bytedeco.pytorch.Tensor[] {
        channelsFirst, framesFirst, y, matrix, rows, columns, windowsByFrame, windows}) {
      t.close();
    }
    if (padded != handle) {
      padded.close();
    }
    countConvolution(weight, b * frames);
    return result;
  }

  private static void countConvolution(Tensor weight, long outputPositions) {
    if (ConvolutionCount.counting()) {
      ConvolutionCount.add(2 * weight.numel() * outputPositions);
    }
  }

  /** 2-D cross-correlation with symmetric zero padding per axis. */
  public Tensor conv2d(Tensor weight, Tensor bias, long[] stride, long[] padding, long[] dilation, long groups) {
    return convolution(weight, bias, groups, (in, w, b) -> torch.conv2d(in, w, b, stride, padding, dilation, groups));
  }

  private interface NativeConvolution {
    org.bytedeco.pytorch.Tensor apply(org.bytedeco.pytorch.Tensor input, org.bytedeco.pytorch.Tensor weight,
        TensorOptional bias);
  }

  /**
   * Runs a convolution, through {@link OneDnnChannelPadding} where oneDNN's backward needs it, and
   * in float32 where oneDNN's bfloat16 kernels fail ({@link OneDnnNarrowBfloat16}).
   */
  private Tensor convolution(Tensor weight, Tensor bias, long groups, NativeConvolution conv) {
    Tensor out;
    if (OneDnnNarrowBfloat16.affected(handle, weight.handle)) {
      out = OneDnnNarrowBfloat16.inFloat32(handle, weight.handle, bias == null ? null : bias.handle,
          (in, w, b) -> convolutionWithPadding(in, w, b, groups, conv));
    } else {
      out = new Tensor(convolutionWithPadding(handle, weight.handle, bias == null ? null : bias.handle, groups, conv));
    }
    if (ConvolutionCount.counting()) {
      // Every output value of every output channel is a dot product over one weight row.
      ConvolutionCount.add(2 * weight.numel() * (out.numel() / out.size(1)));
    }
    return out;
  }

  private static org.bytedeco.pytorch.Tensor convolutionWithPadding(org.bytedeco.pytorch.Tensor input,
      org.bytedeco.pytorch.Tensor weight, org.bytedeco.pytorch.Tensor bias, long groups, NativeConvolution conv) {
    if (!OneDnnChannelPadding.needed(input, weight, groups)) {
      return conv.apply(input, weight, bias == null ? new TensorOptional() : new TensorOptional(bias));
    }
    long channels = weight.size(0);
    org.bytedeco.pytorch.Tensor padded = conv.apply(input, OneDnnChannelPadding.padFirstAxis(weight),
        bias == null ? new TensorOptional() : new TensorOptional(OneDnnChannelPadding.padFirstAxis(bias)));
    return padded.narrow(1, 0, channels).contiguous();
  }

  /** Transposed 1-D convolution ({@code [in, out, k]} weights) cropping {@code padding} per side. */
  public Tensor convTranspose1d(Tensor weight, Tensor bias, long stride, long padding) {
    if (ConvolutionCount.counting()) {
      // Every input value of every input channel is spread over one weight row.
      ConvolutionCount.add(2 * weight.numel() * (numel() / size(1)));
    }
    return new Tensor(torch.conv_transpose1d(handle, weight.handle,
        bias == null ? new TensorOptional() : new TensorOptional(bias.handle),
        new long[] {stride}, new long[] {padding}, new long[] {0}, 1, 1));
  }

  public Tensor avgPool1d(long kernel, long stride) {
    return new Tensor(torch.avg_pool1d(handle, new long[] {kernel}, new long[] {stride}, new long[] {0}, false, true));
  }

  /** Real FFT along the last dimension, zero-padded or cropped to {@code n}. Complex result. */
  public Tensor rfft(long n) {
    return new Tensor(torch.fft_rfft(handle, new org.bytedeco.pytorch.LongOptional(n), -1,
        new org.bytedeco.pytorch.StringViewOptional()));
  }

  /** Inverse real FFT along the last dimension with output length {@code n}. */
  public Tensor irfft(long n) {
    return new Tensor(torch.fft_irfft(handle, new org.bytedeco.pytorch.LongOptional(n), -1,
        new org.bytedeco.pytorch.StringViewOptional()));
  }

  /** Complex-to-real: the magnitude of a complex tensor. */
  public Tensor complexAbs() {
    return new Tensor(handle.abs());
  }

  /** Complex tensor to real with a trailing [re, im] axis. */
  public Tensor viewAsReal() {
    return new Tensor(torch.view_as_real(handle));
  }

  /** Real tensor to complex (imaginary part zero). */
  public Tensor toComplex() {
    return new Tensor(handle.to(isDouble() ? torch.ScalarType.ComplexDouble : torch.ScalarType.ComplexFloat));
  }

  /**
   * Short-time Fourier transform along the last axis of a {@code [N, T]} (or {@code [T]}) signal,
   * as {@code torch.stft(..., return_complex=True, onesided=True)}: a complex
   * {@code [N, nFft/2 + 1, frames]} tensor. With {@code center} the signal is reflect-padded by
   * {@code nFft/2} on both sides first; {@code normalized} divides by {@code sqrt(nFft)} (torch's
   * convention, which equals {@code sqrt(sum window^2)} only for rectangular windows).
   */
  public Tensor stft(long nFft, long hop, Tensor window, boolean center, boolean normalized) {
    return new Tensor(torch.stft(handle, nFft, new org.bytedeco.pytorch.LongOptional(hop),
        new org.bytedeco.pytorch.LongOptional(nFft), optional(window), center, "reflect", normalized,
        new org.bytedeco.pytorch.BoolOptional(true), new org.bytedeco.pytorch.BoolOptional(true),
        new org.bytedeco.pytorch.BoolOptional()));
  }

  /**
   * Reduced singular value decomposition {@code A = U diag(S) Vh} of a matrix (LAPACK through
   * libtorch): {@code [U, S, Vh]}.
   */
  public Tensor[] svd() {
    org.bytedeco.pytorch.T_TensorTensorTensor_T r = torch.linalg_svd(handle, false, new org.bytedeco.pytorch.StringViewOptional());
    return new Tensor[] {new Tensor(r.get0()), new Tensor(r.get1()), new Tensor(r.get2())};
  }

  /** Largest values along {@code dim}. */
  public Tensor max(long dim, boolean keepDim) {
    return new Tensor(handle.amax(new long[] {dim}, keepDim));
  }

  /** Largest element. */
  public Tensor max() {
    return new Tensor(handle.max());
  }

  /** {@code this += value * a * b}, in place (Adam's second moment). */
  public Tensor addcmulInPlace(Tensor a, Tensor b, double value) {
    handle.addcmul_(a.handle, b.handle, new Scalar(value));
    return this;
  }

  /** {@code this += value * a / b}, in place (Adam's update). */
  public Tensor addcdivInPlace(Tensor a, Tensor b, double value) {
    handle.addcdiv_(a.handle, b.handle, new Scalar(value));
    return this;
  }

  /** {@code this += weight * (end - this)}, in place (moving averages). */
  public Tensor lerpInPlace(Tensor end, double weight) {
    handle.lerp_(end.handle, new Scalar(weight));
    return this;
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape()) + (handle.is_cuda() ? "@" + device() : "");
  }
}
