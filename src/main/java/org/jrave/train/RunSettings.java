package org.jrave.train;

import java.util.List;

/**
 * How a run was started (saved as {@code run.json} in the run folder, read back by
 * {@code --resume}): the data, the presets and overrides that make the configuration, and the
 * loop's sizes and cadences.
 *
 * @param phase1Duration steps of phase 1, or -1 for the preset's
 * @param ema EMA factor of the weights, 0 for none
 * @param deterministic reproducible kernels: a resumed run then reaches bit-identical weights on
 *     CPU; costs speed in phase 2 (oneDNN convolutions are switched off there)
 */
public record RunSettings(String db, List<String> presets, List<String> overrides, int batch, int nSignal,
    long maxSteps, long valEvery, long saveEvery, long phase1Duration, long seed, double ema, int logEvery,
    int workers, boolean deterministic) {

  public RunSettings {
    presets = List.copyOf(presets);
    overrides = List.copyOf(overrides);
  }

  public RunSettings withMaxSteps(long steps) {
    return new RunSettings(db, presets, overrides, batch, nSignal, steps, valEvery, saveEvery, phase1Duration,
        seed, ema, logEvery, workers, deterministic);
  }
}
