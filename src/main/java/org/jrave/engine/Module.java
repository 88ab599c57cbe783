package org.jrave.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node of a model: named parameters, named buffers and named child modules, so that a whole model
 * has PyTorch-style dotted state-dict names ({@code encoder.encoder.net.0.weight_g}). Holds the
 * train/eval mode and owns the native memory of its tensors.
 */
public abstract class Module implements AutoCloseable {

  private final Map<String, Parameter> parameters = new LinkedHashMap<>();
  private final Map<String, Parameter> buffers = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();
  private boolean training = false;
  private Precision precision = Precision.FP32;

  protected Module() {
    Engine.ensureInitialized();
  }

  // ---------------------------------------------------------------- registration

  protected final Parameter addParameter(String name, Tensor initial) {
    return register(parameters, name, new Parameter(name, initial, true));
  }

  protected final Parameter addBuffer(String name, Tensor initial) {
    return register(buffers, name, new Parameter(name, initial, false));
  }

  protected final <M extends Module> M addChild(String name, M child) {
    if (children.containsKey(name) || parameters.containsKey(name) || buffers.containsKey(name)) {
      throw new IllegalStateException("duplicate member name '" + name + "' in " + getClass().getSimpleName());
    }
    children.put(name, child);
    return child;
  }

  private Parameter register(Map<String, Parameter> map, String name, Parameter p) {
    if (children.containsKey(name) || parameters.containsKey(name) || buffers.containsKey(name)) {
      throw new IllegalStateException("duplicate member name '" + name + "' in " + getClass().getSimpleName());
    }
    map.put(name, p);
    return p;
  }

  public final Map<String, Module> children() {
    return Collections.unmodifiableMap(children);
  }

  // ---------------------------------------------------------------- traversal

  /** Every trainable parameter of this module and its descendants, by dotted name, in order. */
  public final Map<String, Parameter> namedParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    collect("", out, true, false);
    return out;
  }

  /** Every buffer of this module and its descendants, by dotted name, in order. */
  public final Map<String, Parameter> namedBuffers() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    collect("", out, false, true);
    return out;
  }

  /** Parameters then buffers per module, as PyTorch's state_dict orders them. */
  public final Map<String, Parameter> stateEntries() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    collect("", out, true, true);
    return out;
  }

  public final List<Parameter> parameters() {
    return new ArrayList<>(namedParameters().values());
  }

  public final long parameterCount() {
    long n = 0;
    for (Parameter p : namedParameters().values()) {
      n += p.value().numel();
    }
    return n;
  }

  private void collect(String prefix, Map<String, Parameter> out, boolean params, boolean bufs) {
    if (params) {
      parameters.forEach((k, v) -> out.put(prefix + k, v));
    }
    if (bufs) {
      buffers.forEach((k, v) -> out.put(prefix + k, v));
    }
    children.forEach((k, child) -> child.collect(prefix + k + ".", out, params, bufs));
  }

  /** All modules of the tree, this one first (depth-first, registration order). */
  public final List<Module> modules() {
    List<Module> out = new ArrayList<>();
    out.add(this);
    for (Module child : children.values()) {
      out.addAll(child.modules());
    }
    return out;
  }

  // ---------------------------------------------------------------- weights

  /** Copies matching tensors of {@code state} into this model; see {@link StateDictLoader}. */
  public final LoadReport loadStateDict(Map<String, Tensor> state) {
    LoadReport report = StateDictLoader.load(this, state);
    modules().forEach(Module::onWeightsChanged);
    return report;
  }

  /** Called after weights were loaded or updated in place (for cached derived tensors). */
  protected void onWeightsChanged() {}

  // ---------------------------------------------------------------- mode and device

  public final boolean isTraining() {
    return training;
  }

  public final Module train(boolean on) {
    for (Module m : modules()) {
      if (m.training != on) {
        m.training = on;
        m.onModeChanged();
      }
    }
    return this;
  }

  public final Module eval() {
    return train(false);
  }

  /** Called when train/eval mode changes (for mode-dependent caches). */
  protected void onModeChanged() {}

  // ---------------------------------------------------------------- precision

  /**
   * Sets the number format of this tree's inference convolutions. Parameters stay float32 (they are
   * what training updates and checkpoints store); layers that compute in another format keep a
   * converted copy, made once and dropped on weight loads. Training always runs in float32.
   */
  public final Module setPrecision(Precision p) {
    for (Module m : modules()) {
      if (m.precision != p) {
        m.precision = p;
        m.onPrecisionChanged();
      }
    }
    return this;
  }

  public final Precision precision() {
    return precision;
  }

  /** Called when the precision changes (for precision-dependent caches). */
  protected void onPrecisionChanged() {}

  /** Moves every parameter and buffer to {@code device}. */
  public final Module to(Device device) {
    for (Module m : modules()) {
      m.parameters.values().forEach(p -> p.moveTo(device));
      m.buffers.values().forEach(p -> p.moveTo(device));
      m.onWeightsChanged();
    }
    return this;
  }

  public final Device device() {
    for (Parameter p : stateEntries().values()) {
      return p.value().device();
    }
    return Device.CPU;
  }

  @Override
  public void close() {
    for (Module child : children.values()) {
      child.close();
    }
    parameters.values().forEach(Parameter::close);
    buffers.values().forEach(Parameter::close);
  }
}
