package org.jrave.data.transform;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The per-item pipeline of spec §6.4, in the reference's order: random pitch (when on), random
 * crop, phase mangle and dequantize (when selected), peak normalisation and first difference (when
 * on), then the other augmentations in the order given.
 */
public final class Pipeline implements Transform {
  private final List<Transform> steps;

  private Pipeline(List<Transform> steps) {
    this.steps = List.copyOf(steps);
  }

  public static Pipeline of(int cropLength, int sampleRate, List<Augmentation> augmentations) {
    return of(cropLength, sampleRate, augmentations, SignalOptions.NONE);
  }

  public static Pipeline of(int cropLength, int sampleRate, List<Augmentation> augmentations, SignalOptions signal) {
    List<Transform> steps = new ArrayList<>();
    if (signal.randomPitch()) {
      steps.add(RandomPitch.reference(signal.pitchLow(), signal.pitchHigh(), cropLength));
    }
    steps.add(new RandomCrop(cropLength));
    if (augmentations.contains(Augmentation.PHASE_MANGLE)) {
      steps.add(Augmentation.PHASE_MANGLE.create(sampleRate));
    }
    if (augmentations.contains(Augmentation.DEQUANTIZE)) {
      steps.add(Augmentation.DEQUANTIZE.create(sampleRate));
    }
    if (signal.normalize()) {
      steps.add(Normalize.reference());
    }
    if (signal.derivative()) {
      steps.add(new Derivative());
    }
    for (Augmentation a : new LinkedHashSet<>(augmentations)) {
      if (a != Augmentation.PHASE_MANGLE && a != Augmentation.DEQUANTIZE) {
        steps.add(a.create(sampleRate));
      }
    }
    return new Pipeline(steps);
  }

  @Override
  public float[][] apply(float[][] audio, RandomGenerator rng) {
    float[][] x = audio;
    for (Transform t : steps) {
      x = t.apply(x, rng);
    }
    return x;
  }
}
