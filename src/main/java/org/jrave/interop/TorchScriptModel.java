package org.jrave.interop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jrave.engine.NoGrad;
import org.jrave.engine.ScriptModule;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;

/**
 * An nn~-style TorchScript model ({@code .ts}, as exported for nn~ and the RAVE VST): its methods
 * with their channel counts and ratios, its attributes with getters and setters, its sample rate,
 * and runners for whole signals and for successive blocks (state, such as streaming caches, lives
 * inside the module and carries over from one call to the next).
 *
 * <p>Methods are those listed by {@code get_methods()}, or, for exports without it, every method
 * that has a {@code <method>_params} buffer {@code [in_channels, in_ratio, out_channels,
 * out_ratio]}. The sample rate is the {@code sr} attribute, or a {@code sampling_rate}/{@code sr}
 * buffer.
 */
public final class TorchScriptModel implements AutoCloseable {

  /** An nn~ method: {@code (B, inChannels, T) -> (B, outChannels, T * inRatio / outRatio)}. */
  public record MethodSpec(String name, int inChannels, int inRatio, int outChannels, int outRatio) {

    /** Input frames must be a multiple of this for the output to have a whole number of frames. */
    public int inputStep() {
      return outRatio / gcd(inRatio, outRatio);
    }

    /** Output frames for {@code inputFrames} input frames (rounded up, as padding does). */
    public long outputFrames(long inputFrames) {
      return Math.ceilDiv(inputFrames * inRatio, outRatio);
    }

    static int gcd(int a, int b) {
      return b == 0 ? a : gcd(b, a % b);
    }
  }

  /** The model file misbehaved at run time: its code failed, or it returned what its params do not promise. */
  public static final class ModelFailure extends RuntimeException {
    ModelFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** An nn~ attribute read with {@code get_<name>()} and written with {@code set_<name>(value)}. */
  public record AttributeSpec(String name, String type) {}

  private final Path file;
  private final ScriptModule module;
  private final Map<String, MethodSpec> methods;
  private final Map<String, AttributeSpec> attributes;
  private final int sampleRate;

  private TorchScriptModel(Path file, ScriptModule module, Map<String, MethodSpec> methods,
      Map<String, AttributeSpec> attributes, int sampleRate) {
    this.file = file;
    this.module = module;
    this.methods = methods;
    this.attributes = attributes;
    this.sampleRate = sampleRate;
  }

  /** The rate RAVE models are trained at unless told otherwise. */
  public static final int DEFAULT_SAMPLE_RATE = 44100;

  /** Loads and inspects a {@code .ts} file; every problem is an {@link IOException} naming it. */
  public static TorchScriptModel open(Path file) throws IOException {
    return open(file, 0);
  }

  /**
   * As {@link #open(Path)}, but a file that declares no sample rate runs at {@code fallbackRate}
   * (0: such a file is refused).
   */
  public static TorchScriptModel open(Path file, int fallbackRate) throws IOException {
    ScriptModule module = ScriptModule.load(file);
    try (TensorScope scope = new TensorScope()) {
      Map<String, MethodSpec> methods = discoverMethods(file, module);
      Map<String, AttributeSpec> attributes = discoverAttributes(module);
      int sr = sampleRate(file, module, fallbackRate);
      return new TorchScriptModel(file, module, methods, attributes, sr);
    } catch (IOException | RuntimeException e) {
      module.close();
      if (e instanceof IOException io) {
        throw io;
      }
      throw new IOException(file + " is not a usable nn~ model: " + e.getMessage(), e);
    }
  }

  private static Map<String, MethodSpec> discoverMethods(Path file, ScriptModule module) throws IOException {
    List<String> candidates = new ArrayList<>();
    if (module.hasMethod("get_methods") && module.argumentCount("get_methods") == 0
        && module.invoke("get_methods") instanceof List<?> listed) {
      listed.forEach(m -> candidates.add(String.valueOf(m)));
    } else {
      for (String name : module.namedBuffers().keySet()) {
        if (name.endsWith("_params") && !name.contains(".")) {
          candidates.add(name.substring(0, name.length() - "_params".length()));
        }
      }
    }
    Map<String, MethodSpec> out = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String name : candidates) {
      if (!module.hasMethod(name)) {
        continue; // buffers of attributes (<attr>_params) look the same
      }
      paramsOf(module, name).ifPresentOrElse(p -> out.put(name, p),
          () -> problems.add(name + " (no valid " + name + "_params buffer)"));
    }
    if (out.isEmpty()) {
      throw new IOException(file + " has no usable nn~ method: expected methods such as encode/decode/forward "
          + "with <method>_params buffers" + (problems.isEmpty() ? "" : "; found " + problems));
    }
    return Collections.unmodifiableMap(out);
  }

  private static Optional<MethodSpec> paramsOf(ScriptModule module, String method) {
    String key = method + "_params";
    if (!module.hasAttribute(key) || !(module.attribute(key) instanceof Tensor t) || t.numel() != 4) {
      return Optional.empty();
    }
    long[] p = t.toLongArray();
    if (p[0] < 1 || p[1] < 1 || p[2] < 1 || p[3] < 1 || module.argumentCount(method) < 1) {
      return Optional.empty();
    }
    return Optional.of(new MethodSpec(method, (int) p[0], (int) p[1], (int) p[2], (int) p[3]));
  }

  private static Map<String, AttributeSpec> discoverAttributes(ScriptModule module) {
    Map<String, AttributeSpec> out = new LinkedHashMap<>();
    if (!module.hasMethod("get_attributes") || !(module.invoke("get_attributes") instanceof List<?> names)) {
      return Collections.unmodifiableMap(out);
    }
    for (Object o : names) {
      String name = String.valueOf(o);
      if (module.hasMethod("get_" + name) && module.hasMethod("set_" + name)) {
        String schema = module.schema("get_" + name);
        String type = schema.substring(schema.lastIndexOf("->") + 2).strip();
        out.put(name, new AttributeSpec(name, type));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  private static int sampleRate(Path file, ScriptModule module, int fallbackRate) throws IOException {
    for (String key : List.of("sr", "sampling_rate")) {
      if (module.hasAttribute(key)) {
        Object v = module.attribute(key);
        if (v instanceof Long l && l > 0) {
          return (int) (long) l;
        }
        if (v instanceof Tensor t && t.numel() == 1 && t.item() > 0) {
          return Math.round(t.item());
        }
      }
    }
    if (fallbackRate > 0) {
      return fallbackRate;
    }
    throw new IOException(file + " declares no sample rate (no 'sr' attribute or 'sampling_rate' buffer)");
  }

  /**
   * A fresh copy of this model in its current state: a stream started on the copy does not disturb
   * this one (TorchScript models have no reset; copy a pristine one instead).
   */
  public TorchScriptModel copy() {
    return new TorchScriptModel(file, module.deepCopy(), methods, attributes, sampleRate);
  }

  // ---------------------------------------------------------------- description

  public Path file() {
    return file;
  }

  public Map<String, MethodSpec> methods() {
    return methods;
  }

  public Optional<MethodSpec> method(String name) {
    return Optional.ofNullable(methods.get(name));
  }

  /** The method, or an {@link IllegalArgumentException} listing the ones there are. */
  public MethodSpec requireMethod(String name) {
    MethodSpec m = methods.get(name);
    if (m == null) {
      throw new IllegalArgumentException(file + " has no '" + name + "' method (it has " + methods.keySet() + ")");
    }
    return m;
  }

  public Map<String, AttributeSpec> attributes() {
    return attributes;
  }

  public int sampleRate() {
    return sampleRate;
  }

  /** A scalar attribute of the module ({@code n_channels}, {@code latent_size}, ...), if present. */
  public Optional<Object> scalar(String name) {
    if (!module.hasAttribute(name)) {
      return Optional.empty();
    }
    Object v = module.attribute(name);
    return v instanceof Tensor ? Optional.empty() : Optional.ofNullable(v);
  }

  /** The module's buffers by dotted name (live: they change as the model runs). */
  public Map<String, Tensor> buffers() {
    return module.namedBuffers();
  }

  public Object getAttribute(String name) {
    requireAttribute(name);
    return module.invoke("get_" + name);
  }

  /** Sets an nn~ attribute through its setter; {@code value} must have the attribute's type. */
  public void setAttribute(String name, Object value) {
    requireAttribute(name);
    try {
      module.invoke("set_" + name, value);
    } catch (ScriptModule.ScriptException e) {
      throw new IllegalArgumentException("cannot set attribute " + name + " to " + value + ": " + e.getMessage(), e);
    }
  }

  private void requireAttribute(String name) {
    if (!attributes.containsKey(name)) {
      throw new IllegalArgumentException(file + " has no attribute '" + name + "' (it has " + attributes.keySet() + ")");
    }
  }

  // ---------------------------------------------------------------- running

  /**
   * Runs a method on a whole signal {@code [channels][frames]} (batch 1): zero-pads the input to a
   * whole number of output frames and crops the output to {@code ceil(frames * inRatio / outRatio)}.
   */
  public float[][] run(String method, float[][] input) {
    MethodSpec m = requireMethod(method);
    checkChannels(m, input);
    int frames = input[0].length;
    int step = blockStep(m);
    int padded = Math.max(step, Math.ceilDiv(frames, step) * step);
    float[][] out = call(m, input, padded);
    return crop(out, (int) m.outputFrames(frames));
  }

  /**
   * Runs a method on one block of a stream: the block length must be a multiple of
   * {@link MethodSpec#inputStep()}; state kept by the module (caches) carries over to the next block.
   */
  public float[][] process(String method, float[][] block) {
    MethodSpec m = requireMethod(method);
    checkChannels(m, block);
    int frames = block[0].length;
    int step = blockStep(m);
    if (frames == 0 || frames % step != 0) {
      throw new IllegalArgumentException(method + " blocks must be a non-zero multiple of " + step
          + " frames, got " + frames);
    }
    return call(m, block, frames);
  }

  /** Runs a method on a tensor {@code [B, inChannels, T]} and returns its raw output. */
  public Tensor run(String method, Tensor input) {
    MethodSpec m = requireMethod(method);
    if (input.dim() != 3 || input.size(1) != m.inChannels()) {
      throw new IllegalArgumentException(method + " takes [batch, " + m.inChannels() + ", time], got "
          + java.util.Arrays.toString(input.shape()));
    }
    try (NoGrad ng = NoGrad.enter()) {
      Object out = module.invoke(method, input);
      if (!(out instanceof Tensor t) || t.dim() != 3 || t.size(1) != m.outChannels()) {
        throw new ModelFailure(file + ": " + method + " returned " + describe(out) + ", expected a [batch, "
            + m.outChannels() + ", time] tensor as its " + method + "_params promise", null);
      }
      return t;
    } catch (ScriptModule.ScriptException e) {
      throw new ModelFailure(file + ": " + method + " failed: " + e.getMessage(), e);
    }
  }

  private float[][] call(MethodSpec m, float[][] input, int frames) {
    try (TensorScope scope = new TensorScope()) {
      int channels = input.length;
      float[] flat = new float[channels * frames];
      for (int c = 0; c < channels; c++) {
        System.arraycopy(input[c], 0, flat, c * frames, Math.min(frames, input[c].length));
      }
      Tensor y = run(m.name(), Tensor.fromFloats(flat, 1, channels, frames));
      int outChannels = (int) y.size(1);
      int outFrames = (int) y.size(2);
      float[] data = y.contiguous().toFloatArray();
      float[][] out = new float[outChannels][outFrames];
      for (int c = 0; c < outChannels; c++) {
        System.arraycopy(data, c * outFrames, out[c], 0, outFrames);
      }
      return out;
    }
  }

  /**
   * Input frames per call must be a multiple of this. Audio-rate methods ({@code forward}) declare
   * ratio 1 but encode internally, so they also need whole latent frames of the encoder.
   */
  public int blockStep(MethodSpec m) {
    int step = m.inputStep();
    MethodSpec encode = methods.get("encode");
    if (m.inRatio() == 1 && encode != null && encode.inRatio() == 1) {
      int e = encode.inputStep();
      step = step / MethodSpec.gcd(step, e) * e;
    }
    return step;
  }

  private void checkChannels(MethodSpec m, float[][] input) {
    if (input.length != m.inChannels()) {
      throw new IllegalArgumentException(m.name() + " of " + file.getFileName() + " takes " + m.inChannels()
          + " channel(s), got " + input.length);
    }
  }

  private static float[][] crop(float[][] signal, int length) {
    float[][] out = new float[signal.length][];
    for (int i = 0; i < signal.length; i++) {
      out[i] = signal[i].length > length ? java.util.Arrays.copyOf(signal[i], length) : signal[i];
    }
    return out;
  }

  private static String describe(Object o) {
    return o instanceof Tensor t ? "a tensor of shape " + java.util.Arrays.toString(t.shape()) : String.valueOf(o);
  }

  @Override
  public void close() {
    module.close();
  }
}
