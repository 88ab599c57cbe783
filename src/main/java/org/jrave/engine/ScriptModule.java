package org.jrave.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.pytorch.BoolType;
import org.bytedeco.pytorch.FloatType;
import org.bytedeco.pytorch.Function;
import org.bytedeco.pytorch.FunctionVector;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.IntType;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.ListType;
import org.bytedeco.pytorch.QualifiedName;
import org.bytedeco.pytorch.SingletonTypePtr;
import org.bytedeco.pytorch.StringType;
import org.bytedeco.pytorch.Type;
import org.bytedeco.pytorch.global.torch;

/**
 * A TorchScript module ({@code torch::jit::Module}): loaded from a {@code .ts} archive, or built
 * from TorchScript source with named parameters, buffers and attributes, then saved. Values cross
 * the boundary as plain Java objects: {@link Tensor}, {@link Long}, {@link Double}, {@link Boolean},
 * {@link String}, {@link List} (of those) and {@code null} for None.
 *
 * <p>Every native failure (not an archive, a compile error, a method that throws) surfaces as an
 * {@link IOException} from {@link #load} or a {@link ScriptException} elsewhere, with libtorch's
 * message, never as a crash.
 */
public final class ScriptModule implements AutoCloseable {

  private final JitModule module;
  private final String className;
  private final Map<String, ScriptModule> children = new LinkedHashMap<>();

  private ScriptModule(JitModule module, String className) {
    this.module = module;
    this.className = className;
  }

  /** A native TorchScript error (compilation, a method call, an attribute access). */
  public static final class ScriptException extends RuntimeException {
    public ScriptException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Loads a TorchScript archive onto the CPU. */
  public static ScriptModule load(Path file) throws IOException {
    Engine.ensureInitialized();
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + " is not a file");
    }
    if (!isZip(file)) {
      throw new IOException(file + " is not a TorchScript archive (not a zip file)");
    }
    try {
      JitModule m = torch.load(file.toAbsolutePath().toString());
      m.eval();
      return new ScriptModule(m, null);
    } catch (RuntimeException e) {
      throw new IOException(file + " is not a loadable TorchScript archive: " + firstLine(e), e);
    }
  }

  private static boolean isZip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] magic = in.readNBytes(4);
      return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
    }
  }

  /** An empty module of the given class name (e.g. {@code "__torch__.JraveExport"}), to be filled. */
  public static ScriptModule create(String className) {
    Engine.ensureInitialized();
    return new ScriptModule(new JitModule(new QualifiedName(className)), className);
  }

  // ---------------------------------------------------------------- building

  /** Registers a trainable parameter (stored as a copy-free reference to {@code value}). */
  public void addParameter(String name, Tensor value) {
    call(() -> module.register_parameter(name, value.detach().handle(), false));
  }

  public void addBuffer(String name, Tensor value) {
    call(() -> module.register_buffer(name, value.handle()));
  }

  /** Registers a child module under {@code name} (its members become {@code name.x}). */
  public void addChild(String name, ScriptModule child) {
    call(() -> module.register_module(name, child.module));
    children.put(name, child);
  }

  /**
   * Registers a parameter or buffer under a dotted name such as {@code encoder.net.0.weight},
   * creating the intermediate (method-less) child modules as needed, so that the names in the
   * saved archive follow a PyTorch state dict. TorchScript code reaches them with
   * {@code getattr(self.encoder.net, "0").weight}.
   */
  public void addNested(String dottedName, Tensor value, boolean parameter) {
    int dot = dottedName.indexOf('.');
    if (dot < 0) {
      if (parameter) {
        addParameter(dottedName, value);
      } else {
        addBuffer(dottedName, value);
      }
      return;
    }
    String head = dottedName.substring(0, dot);
    ScriptModule child = children.get(head);
    if (child == null) {
      if (className == null) {
        throw new IllegalStateException("only modules built here can get new children");
      }
      child = create(className + "__" + head.replaceAll("[^A-Za-z0-9_]", "_"));
      addChild(head, child);
    }
    child.addNested(dottedName.substring(dot + 1), value, parameter);
  }

  /** Registers a typed attribute: int ({@link Integer}/{@link Long}), float, bool, str or list of str. */
  public void addAttribute(String name, Object value) {
    IValue iv = toIValue(value);
    Type.TypePtr type = typeOf(value);
    call(() -> module.register_attribute(name, type, iv, false, false));
  }

  private static Type.TypePtr typeOf(Object value) {
    if (value instanceof Integer || value instanceof Long) {
      return new Type.TypePtr(new SingletonTypePtr(IntType.getIntTypePtr().get()));
    }
    if (value instanceof Double || value instanceof Float) {
      return new Type.TypePtr(new SingletonTypePtr(FloatType.getFloatTypePtr().get()));
    }
    if (value instanceof Boolean) {
      return new Type.TypePtr(new SingletonTypePtr(BoolType.get().get()));
    }
    if (value instanceof String) {
      return new Type.TypePtr(new SingletonTypePtr(StringType.get().get()));
    }
    if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
      return ListType.get("List", new Type.TypePtr(new SingletonTypePtr(StringType.get().get())));
    }
    throw new IllegalArgumentException("unsupported attribute value " + value);
  }

  /** Compiles TorchScript methods (Python-syntax {@code def name(self, ...)} blocks) into this module. */
  public void define(String source) {
    call(() -> module.define(source));
  }

  public void save(Path file) throws IOException {
    try {
      module.save(file.toAbsolutePath().toString());
    } catch (RuntimeException e) {
      throw new IOException("cannot write TorchScript archive " + file + ": " + firstLine(e), e);
    }
  }

  // ---------------------------------------------------------------- inspection

  /** Names of the methods compiled into this module's class, in definition order. */
  public List<String> methodNames() {
    List<String> names = new ArrayList<>();
    FunctionVector methods = module.type().methods();
    for (long i = 0; i < methods.size(); i++) {
      Function f = methods.get(i);
      names.add(f.name().getString());
    }
    return names;
  }

  public boolean hasMethod(String name) {
    return module.find_method(name).has_value();
  }

  /** The method's signature as TorchScript prints it, e.g. {@code encode(__torch__.X self, Tensor x) -> Tensor}. */
  public String schema(String method) {
    FunctionVector methods = module.type().methods();
    for (long i = 0; i < methods.size(); i++) {
      Function f = methods.get(i);
      if (f.name().getString().equals(method)) {
        return call(() -> torch.toString(f.getSchema()).getString());
      }
    }
    throw new IllegalArgumentException("no method " + method);
  }

  /** Number of arguments of a method, {@code self} excluded. */
  public int argumentCount(String method) {
    return call(() -> (int) module.get_method(method).num_inputs() - 1);
  }

  public boolean hasAttribute(String name) {
    return module.hasattr(name);
  }

  /** The value of an attribute, parameter or buffer, as a Java object (see the class comment). */
  public Object attribute(String name) {
    return call(() -> fromIValue(module.attr(name)));
  }

  /** Sets an existing attribute (its type must match). */
  public void setAttribute(String name, Object value) {
    call(() -> module.setattr(name, toIValue(value)));
  }

  /** Every buffer of the module tree by dotted name (tensors share memory with the module). */
  public Map<String, Tensor> namedBuffers() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    var list = module.named_buffers(true);
    for (var it = list.begin(); it.notEquals(list.end()); it = it.increment()) {
      var item = it.access();
      out.put(item.name().getString(), Tensor.wrap(item.value()));
    }
    return out;
  }

  /** Every parameter of the module tree by dotted name. */
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    var list = module.named_parameters(true);
    for (var it = list.begin(); it.notEquals(list.end()); it = it.increment()) {
      var item = it.access();
      out.put(item.name().getString(), Tensor.wrap(item.value()));
    }
    return out;
  }

  // ---------------------------------------------------------------- running

  /** Calls a method with Java arguments; the result is converted as {@link #attribute} does. */
  public Object invoke(String method, Object... args) {
    return call(() -> {
      Optional<org.bytedeco.pytorch.Method> m = find(method);
      if (m.isEmpty()) {
        throw new IllegalArgumentException("no method " + method);
      }
      IValueVector inputs = new IValueVector();
      for (Object a : args) {
        inputs.push_back(toIValue(a));
      }
      return fromIValue(m.get().apply(inputs));
    });
  }

  private Optional<org.bytedeco.pytorch.Method> find(String method) {
    var opt = module.find_method(method);
    return opt.has_value() ? Optional.of(opt.get()) : Optional.empty();
  }

  // ---------------------------------------------------------------- conversion

  private static IValue toIValue(Object value) {
    if (value == null) {
      return new IValue();
    }
    if (value instanceof Tensor t) {
      return new IValue(t.handle());
    }
    if (value instanceof Integer i) {
      return new IValue((long) i);
    }
    if (value instanceof Long l) {
      return new IValue(l.longValue());
    }
    if (value instanceof Double d) {
      return new IValue(d.doubleValue());
    }
    if (value instanceof Float f) {
      return new IValue(f.doubleValue());
    }
    if (value instanceof Boolean b) {
      return new IValue(b.booleanValue());
    }
    if (value instanceof String s) {
      return new IValue(s);
    }
    if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
      org.bytedeco.pytorch.GenericList gl =
          new org.bytedeco.pytorch.GenericList(new Type.TypePtr(new SingletonTypePtr(StringType.get().get())));
      for (Object o : list) {
        gl.push_back(new IValue((String) o));
      }
      return new IValue(gl);
    }
    throw new IllegalArgumentException("cannot pass " + value.getClass().getSimpleName() + " to TorchScript");
  }

  private static Object fromIValue(IValue v) {
    if (v.isNone()) {
      return null;
    }
    if (v.isTensor()) {
      return Tensor.wrap(v.toTensor());
    }
    if (v.isBool()) {
      return v.toBool();
    }
    if (v.isInt()) {
      return v.toInt();
    }
    if (v.isDouble()) {
      return v.toDouble();
    }
    if (v.isString()) {
      return v.toStringRef().getString();
    }
    if (v.isList()) {
      List<Object> out = new ArrayList<>();
      var list = v.toList();
      for (long i = 0; i < list.size(); i++) {
        out.add(fromIValue(list.get(i)));
      }
      return out;
    }
    if (v.isTuple()) {
      List<Object> out = new ArrayList<>();
      var elems = v.toTuple().elements();
      for (long i = 0; i < elems.size(); i++) {
        out.add(fromIValue(elems.get(i)));
      }
      return out;
    }
    return v.tagKind().getString();
  }

  // ---------------------------------------------------------------- errors

  private interface NativeCall<T> {
    T run();
  }

  private static <T> T call(NativeCall<T> body) {
    try {
      return body.run();
    } catch (IllegalArgumentException | ScriptException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ScriptException(firstLine(e), e);
    }
  }

  private static void call(Runnable body) {
    call(() -> {
      body.run();
      return null;
    });
  }

  /** libtorch messages carry a C++ backtrace after the first lines; keep the meaningful part. */
  static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int cut = m.indexOf("\nException raised from");
    if (cut < 0) {
      cut = m.indexOf("\nframe #");
    }
    return (cut < 0 ? m : m.substring(0, cut)).strip();
  }

  @Override
  public void close() {
    module.close();
  }
}
