package org.jrave.train;

import java.util.List;
import org.jrave.data.LoaderConfig;
import org.jrave.data.transform.Augmentation;
import org.jrave.data.transform.SignalOptions;
import org.jrave.engine.Precision;

/**
 * How a run was started (saved as {@code run.json} in the run folder, read back by
 * {@code --resume}): the data, the presets and overrides that make the configuration, the loop's
 * sizes and cadences, and what the loader does to each item, so a resumed run sees the same data.
 *
 * @param presets the {@code --config} values: preset names, and gin files by absolute path (the
 *     configuration they made, overrides included, is the run's config.json, which a resumed run uses)
 * @param overrides the {@code --override} values as given
 * @param phase1Duration steps of phase 1, or -1 for the preset's
 * @param ema EMA factor of the weights, 0 for none
 * @param deterministic oneDNN in its reproducible mode: a resumed run then reaches bit-identical
 *     weights on CPU
 * @param channels channels asked for with {@code --channels}, 0 for the preset's (the model's
 *     channel count is in the configuration either way)
 * @param augmentations augmentations on top of the always-on phase mangle and dequantize
 * @param signal random pitch, peak normalisation, first difference
 * @param precision number format of the training forward passes ({@code --precision}): fp32, or
 *     bf16 mixed precision (see {@link Trainer}); runs from before the option trained in fp32
 */
public record RunSettings(String db, List<String> presets, List<String> overrides, int batch, int nSignal,
    long maxSteps, long valEvery, long saveEvery, long phase1Duration, long seed, double ema, int logEvery,
    int workers, boolean deterministic, int channels, List<Augmentation> augmentations, SignalOptions signal,
    Precision precision) {

  public RunSettings {
    presets = List.copyOf(presets);
    overrides = List.copyOf(overrides);
    // Runs started before these settings existed have none in run.json: the defaults they trained with.
    augmentations = augmentations == null ? List.of() : List.copyOf(augmentations);
    signal = signal == null ? SignalOptions.NONE : signal;
    precision = precision == null ? Precision.FP32 : precision;
  }

  /** Settings of a float32 run. */
  public RunSettings(String db, List<String> presets, List<String> overrides, int batch, int nSignal,
      long maxSteps, long valEvery, long saveEvery, long phase1Duration, long seed, double ema, int logEvery,
      int workers, boolean deterministic, int channels, List<Augmentation> augmentations, SignalOptions signal) {
    this(db, presets, overrides, batch, nSignal, maxSteps, valEvery, saveEvery, phase1Duration, seed, ema, logEvery,
        workers, deterministic, channels, augmentations, signal, Precision.FP32);
  }

  /** Settings with the reference's default data handling (no extra augmentation or transform). */
  public RunSettings(String db, List<String> presets, List<String> overrides, int batch, int nSignal,
      long maxSteps, long valEvery, long saveEvery, long phase1Duration, long seed, double ema, int logEvery,
      int workers, boolean deterministic) {
    this(db, presets, overrides, batch, nSignal, maxSteps, valEvery, saveEvery, phase1Duration, seed, ema, logEvery,
        workers, deterministic, 0, List.of(), SignalOptions.NONE);
  }

  /** The same run reading another database (a copy of the same audio elsewhere). */
  public RunSettings withDataset(String database) {
    return new RunSettings(database, presets, overrides, batch, nSignal, maxSteps, valEvery, saveEvery,
        phase1Duration, seed, ema, logEvery, workers, deterministic, channels, augmentations, signal, precision);
  }

  public RunSettings withMaxSteps(long steps) {
    return new RunSettings(db, presets, overrides, batch, nSignal, steps, valEvery, saveEvery, phase1Duration,
        seed, ema, logEvery, workers, deterministic, channels, augmentations, signal, precision);
  }

  /** The loader settings of this run: the always-on augmentations, then the chosen ones. */
  public LoaderConfig loader() {
    List<Augmentation> all = new java.util.ArrayList<>(LoaderConfig.REFERENCE_DEFAULT);
    all.addAll(augmentations);
    return new LoaderConfig(batch, nSignal, all, seed, workers, signal);
  }
}
