package org.jrave.prior;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jrave.engine.Parameter;
import org.jrave.engine.Safetensors;
import org.jrave.engine.Tensor;
import org.jrave.model.RaveModel;

/**
 * A trained prior on disk: a safetensors file of the network's parameters with
 * {@code format = "jrave-prior"}, the prior's shape and the facts of the RAVE model it was trained
 * on (sampling rate, channels, ratio, latent size), so a mismatched model is refused.
 */
public final class PriorFile {
  public static final String FORMAT = "jrave-prior";
  public static final int VERSION = 1;

  /** The RAVE model facts a prior depends on. */
  public record ModelFacts(int sampleRate, int channels, int ratio, int latentSize) {
    public static ModelFacts of(RaveModel m) {
      return new ModelFacts(m.config().sampleRate(), m.config().channels(), m.ratio(), m.config().latentSize());
    }
  }

  /** A loaded prior and the model facts it was trained with. */
  public record Loaded(PriorNetwork network, ModelFacts facts) {
    /** Null when {@code model} fits, else the reason it does not. */
    public String mismatch(RaveModel model) {
      ModelFacts m = ModelFacts.of(model);
      return m.equals(facts) ? null : "the prior was trained for a model at " + facts.sampleRate() + " Hz, "
          + facts.channels() + " channel(s), ratio " + facts.ratio() + ", latent size " + facts.latentSize()
          + "; this model is at " + m.sampleRate() + " Hz, " + m.channels() + " channel(s), ratio " + m.ratio()
          + ", latent size " + m.latentSize();
    }
  }

  private PriorFile() {}

  public static void save(PriorNetwork network, ModelFacts facts, Path file) throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : network.stateEntries().entrySet()) {
      tensors.put(e.getKey(), e.getValue().value());
    }
    PriorConfig c = network.config();
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("format_version", Integer.toString(VERSION));
    meta.put("latent_size", Integer.toString(c.latentSize()));
    meta.put("resolution", Integer.toString(c.resolution()));
    meta.put("res_size", Integer.toString(c.resSize()));
    meta.put("skp_size", Integer.toString(c.skipSize()));
    meta.put("kernel_size", Integer.toString(c.kernelSize()));
    meta.put("cycle_size", Integer.toString(c.cycleSize()));
    meta.put("n_layers", Integer.toString(c.layers()));
    meta.put("model_sampling_rate", Integer.toString(facts.sampleRate()));
    meta.put("model_channels", Integer.toString(facts.channels()));
    meta.put("model_ratio", Integer.toString(facts.ratio()));
    meta.put("model_latent_size", Integer.toString(facts.latentSize()));
    Safetensors.write(file, tensors, meta);
  }

  public static Loaded load(Path file) throws IOException {
    Safetensors.Contents contents = Safetensors.read(file);
    Map<String, String> meta = contents.metadata();
    if (!FORMAT.equals(meta.get("format"))) {
      throw new IOException(file + " is not a jrave prior (train one with 'jrave train-prior')");
    }
    if (Integer.parseInt(meta.getOrDefault("format_version", "0")) > VERSION) {
      throw new IOException(file + " was written by a newer jrave: upgrade jrave");
    }
    try {
      PriorConfig config = new PriorConfig(i(meta, "latent_size"), i(meta, "resolution"), i(meta, "res_size"),
          i(meta, "skp_size"), i(meta, "kernel_size"), i(meta, "cycle_size"), i(meta, "n_layers"));
      ModelFacts facts = new ModelFacts(i(meta, "model_sampling_rate"), i(meta, "model_channels"), i(meta, "model_ratio"),
          i(meta, "model_latent_size"));
      PriorNetwork network = new PriorNetwork(config);
      network.loadStateDict(contents.tensors()).requireComplete(file.toString());
      return new Loaded(network, facts);
    } catch (RuntimeException e) {
      throw new IOException(file + " is not a usable prior: " + e.getMessage());
    }
  }

  private static int i(Map<String, String> meta, String key) {
    String v = meta.get(key);
    if (v == null) {
      throw new NumberFormatException("missing " + key);
    }
    return Integer.parseInt(v);
  }
}
