package org.jrave.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrave.engine.Adam;
import org.jrave.engine.Draws;
import org.jrave.engine.Module;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Parameter;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveModel;
import org.jrave.model.latent.LatentEncoder;
import org.jrave.train.discriminator.Discriminator;
import org.jrave.train.loss.AdversarialLoss;
import org.jrave.train.loss.AudioDistance;
import org.jrave.train.loss.BatchMean;
import org.jrave.train.loss.FeatureMatching;

/**
 * One RAVE training step, in the reference's order (spec 5.4), and the optimiser state around it.
 *
 * <p>Phase 1: encoder and decoder learn from the multiband and full-band spectral distances and the
 * regulariser. Phase 2: batches whose index in the epoch is a multiple of the cadence update the
 * discriminator (hinge loss on real vs reconstructed audio), the others the generator, which adds
 * feature matching and the adversarial term.
 *
 * <p>Frozen parts are really frozen: in phase 2 a VAE or Wasserstein encoder runs without gradient
 * tracking and its parameters stop requiring gradients (the reference only detaches its output, and
 * Adam then still moved its weights with old momentum, spec pitfall 22); the discriminator's
 * parameters do not require gradients during generator steps; a discriminator step runs the
 * generator without gradient tracking (the reference backpropagates into it and discards the
 * result).
 */
public final class Trainer implements AutoCloseable {

  private final RaveModel model;
  private final Discriminator discriminator;
  private final Schedule schedule;
  private final LossWeights weights;
  private final AudioDistance distance;
  private final FeatureMatching featureMatching;
  private final AdversarialLoss adversarial = AdversarialLoss.HINGE;
  private final Adam generatorOptimizer;
  private final Adam discriminatorOptimizer;
  private final Ema ema;
  private final StepReduction reduction;
  private ReceptiveField receptiveField = ReceptiveField.UNKNOWN;

  public Trainer(RaveModel model, Discriminator discriminator, Schedule schedule, double emaFactor) {
    this(model, discriminator, schedule, emaFactor, StepReduction.SINGLE);
  }

  /** A trainer whose steps are one process's part of data-parallel steps joined by {@code reduction}. */
  public Trainer(RaveModel model, Discriminator discriminator, Schedule schedule, double emaFactor,
      StepReduction reduction) {
    this.reduction = reduction;
    this.model = model;
    this.discriminator = discriminator;
    this.schedule = schedule;
    var t = model.config().training();
    this.weights = new LossWeights(t.weights());
    this.distance = AudioDistance.reference(t.logEpsilon());
    this.featureMatching = new FeatureMatching(t.numSkippedFeatures(), t.featureMatchingRelative());
    this.generatorOptimizer = new Adam(model.namedParameters(), new Adam.Settings(schedule.generatorRate(), 0.5, 0.9, 1e-8));
    this.discriminatorOptimizer = new Adam(discriminator.namedParameters(),
        new Adam.Settings(schedule.discriminatorRate(), 0.5, 0.9, 1e-8));
    this.ema = emaFactor > 0 ? new Ema(model, emaFactor) : null;
    model.train(true);
    discriminator.train(true);
  }

  public RaveModel model() {
    return model;
  }

  public Discriminator discriminator() {
    return discriminator;
  }

  public Schedule schedule() {
    return schedule;
  }

  public AudioDistance distance() {
    return distance;
  }

  public Ema ema() {
    return ema;
  }

  public Adam generatorOptimizer() {
    return generatorOptimizer;
  }

  public Adam discriminatorOptimizer() {
    return discriminatorOptimizer;
  }

  public ReceptiveField receptiveField() {
    return receptiveField;
  }

  public void setReceptiveField(ReceptiveField rf) {
    this.receptiveField = rf;
  }

  /** Trains on one batch {@code [B, C, T]} at global {@code step}, the {@code batchInEpoch}-th of its epoch. */
  public StepReport step(Tensor x, long step, long batchInEpoch) {
    return step(x, step, batchInEpoch, Draws.GLOBAL);
  }

  /** As {@link #step(Tensor, long, long)}, every random draw of the step taken from {@code draws}. */
  public StepReport step(Tensor x, long step, long batchInEpoch, Draws draws) {
    boolean warm = schedule.warmedUp(step);
    boolean disStep = schedule.updatesDiscriminator(step, batchInEpoch);
    LatentEncoder encoder = model.encoder();
    boolean encoderFrozen = warm && encoder.frozenWhenWarmedUp();
    if (encoder.warmedUp() != warm) {
      encoder.setWarmedUp(warm);
      model.decoder().setWarmedUp(warm);
    }
    setTrainable(encoder, !encoderFrozen);
    setTrainable(discriminator, disStep);
    generatorOptimizer.setLearningRate(schedule.generatorRate(step));
    double beta = schedule.beta(step);

    Map<String, Double> logged = new LinkedHashMap<>();
    try (TensorScope scope = new TensorScope()) {
      Reconstruction r;
      if (disStep) {
        try (NoGrad ignored = NoGrad.enter()) {
          r = reconstruct(x, true, draws);
        }
      } else {
        r = reconstruct(x, encoderFrozen, draws);
      }
      BatchMean means = reduction.batchMean();
      Map<String, Tensor> terms = new LinkedHashMap<>();
      terms.put(LossWeights.MULTIBAND, r.multibandDistance().mul(weights.first(LossWeights.MULTIBAND)));
      terms.put(LossWeights.FULLBAND, r.fullbandDistance().mul(weights.first(LossWeights.FULLBAND)));
      if (r.regularization() != null) {
        terms.put(LossWeights.REGULARIZATION, means.of(r.regularization()).mul(beta));
      }
      if (disStep) {
        terms.forEach((k, v) -> logged.put(k, v.itemDouble()));
        AdversarialTerms adv = discriminatorStep(x, r.audio(), means);
        adv.log(logged, weights);
      } else {
        Tensor total = null;
        for (Map.Entry<String, Tensor> e : terms.entrySet()) {
          Tensor weighted = e.getValue().mul(weights.second(e.getKey()));
          total = total == null ? weighted : total.add(weighted);
        }
        terms.forEach((k, v) -> logged.put(k, v.itemDouble()));
        generatorOptimizer.zeroGrad();
        if (warm) {
          // The adversarial terms' gradient reaches the generator through its audio alone: it is
          // computed scale by scale first, then joins the spectral terms' backward pass.
          Tensor audio = r.audio();
          Tensor audioLeaf = audio.detach().requiresGrad(true);
          AdversarialTerms adv = generatorAdversarial(x, audioLeaf, means);
          adv.log(logged, weights);
          Tensor.backward(List.of(total, audio), List.of(total.onesLike(), audioLeaf.grad()));
        } else {
          total.backward();
        }
        reduction.sumGradients(generatorOptimizer.parameters());
        generatorOptimizer.step();
      }
    }
    if (ema != null) {
      ema.update();
    }
    logged.put("beta_factor", beta);
    logged.put("lr_generator", generatorOptimizer.learningRate());
    logged.put("lr_discriminator", discriminatorOptimizer.learningRate());
    return new StepReport(step, warm, disStep, logged);
  }

  /** The generator's pass and its spectral distances. */
  private record Reconstruction(Tensor audio, Tensor multibandDistance, Tensor fullbandDistance, Tensor regularization) {}

  private Reconstruction reconstruct(Tensor x, boolean encoderFrozen, Draws draws) {
    Tensor xMb;
    Tensor raw;
    if (encoderFrozen) {
      try (NoGrad ignored = NoGrad.enter()) {
        xMb = model.analyze(x);
        raw = model.encoder().forward(xMb);
      }
    } else {
      xMb = model.analyze(x);
      raw = model.encoder().forward(xMb);
    }
    LatentEncoder.Reparametrized z = model.encoder().reparametrize(raw, draws);
    Tensor yMb = model.decodeMultiband(z.z(), draws::uniform);
    Tensor yRaw = model.synthesize(yMb);
    yRaw = yRaw.narrow(2, 0, x.size(2));
    yMb = yMb.narrow(2, 0, xMb.size(2));
    if (model.config().training().validSignalCrop() && !receptiveField.equals(ReceptiveField.UNKNOWN)) {
      long[] crop = receptiveField.multibandCrop(model.config().bands());
      long keep = xMb.size(2) - crop[0] - crop[1];
      if (keep > 0) {
        xMb = xMb.narrow(2, crop[0], keep);
        yMb = yMb.narrow(2, crop[0], keep);
      }
    }
    Tensor reg = z.regularization();
    boolean hasReg = reg != null && reg.item() != 0f;
    BatchMean means = reduction.batchMean();
    return new Reconstruction(yRaw, distance.distance(xMb, yMb, means), distance.distance(x, yRaw, means),
        hasReg ? reg : null);
  }

  /**
   * The phase-2 terms of a step, summed over the discriminator's scales: the discriminator's and
   * the generator's adversarial losses, the feature-matching distance (mean over scales) and the
   * mean logits of real and reconstructed audio.
   */
  private record AdversarialTerms(double discriminatorLoss, double generatorLoss, double featureMatching,
      double predReal, double predFake) {

    /** Every phase-2 step logs both sides' losses, as the reference does; only one side learns. */
    void log(Map<String, Double> logged, LossWeights weights) {
      logged.put(LossWeights.FEATURE_MATCHING, featureMatching * weights.first(LossWeights.FEATURE_MATCHING));
      logged.put(LossWeights.ADVERSARIAL, generatorLoss * weights.first(LossWeights.ADVERSARIAL));
      logged.put("loss_dis", discriminatorLoss);
      logged.put("pred_real", predReal);
      logged.put("pred_fake", predFake);
    }
  }

  /**
   * A discriminator step: scale by scale, the hinge loss on {@code [x ; y]} is backpropagated into
   * the discriminator's parameters and the scale's activations are freed before the next scale (the
   * loss is a sum over scales, so the accumulated gradient is the whole loss's).
   */
  private AdversarialTerms discriminatorStep(Tensor x, Tensor y, BatchMean means) {
    discriminatorOptimizer.zeroGrad();
    long b = x.size(0);
    double dis = 0;
    double gen = 0;
    double fm = 0;
    double real = 0;
    double fake = 0;
    for (int s = 0; s < discriminator.scaleCount(); s++) {
      try (TensorScope scope = new TensorScope()) {
        List<Tensor> maps = discriminator.scale(s, Tensor.cat(List.of(x, y), 0));
        List<Tensor> realMaps = maps.stream().map(t -> t.narrow(0, 0, b)).toList();
        List<Tensor> fakeMaps = maps.stream().map(t -> t.narrow(0, b, b)).toList();
        AdversarialLoss.Losses l = adversarial.ofScale(realMaps, fakeMaps, means);
        l.discriminator().backward();
        dis += l.discriminator().itemDouble();
        try (NoGrad ignored = NoGrad.enter()) {
          gen += l.generator().itemDouble();
          fm += featureMatching.ofScale(realMaps, fakeMaps, means).itemDouble();
          real += meanLogit(realMaps, means);
          fake += meanLogit(fakeMaps, means);
        }
      }
    }
    reduction.sumGradients(discriminatorOptimizer.parameters());
    discriminatorOptimizer.step();
    return new AdversarialTerms(dis, gen, fm / discriminator.scaleCount(), real, fake);
  }

  /**
   * A generator step's adversarial and feature-matching terms, scale by scale: real audio runs
   * without gradient tracking (its features are targets), the reconstruction {@code audioLeaf}
   * with it, and each scale's weighted terms are backpropagated into {@code audioLeaf}'s gradient
   * at once, so that one scale's activations are held at a time. The discriminator's parameters
   * are frozen here.
   */
  private AdversarialTerms generatorAdversarial(Tensor x, Tensor audioLeaf, BatchMean means) {
    int scales = discriminator.scaleCount();
    double fmWeight = weights.first(LossWeights.FEATURE_MATCHING) * weights.second(LossWeights.FEATURE_MATCHING)
        / scales;
    double advWeight = weights.first(LossWeights.ADVERSARIAL) * weights.second(LossWeights.ADVERSARIAL);
    double dis = 0;
    double gen = 0;
    double fm = 0;
    double real = 0;
    double fake = 0;
    for (int s = 0; s < scales; s++) {
      try (TensorScope scope = new TensorScope()) {
        List<Tensor> realMaps;
        try (NoGrad ignored = NoGrad.enter()) {
          realMaps = discriminator.scale(s, x);
        }
        List<Tensor> fakeMaps = discriminator.scale(s, audioLeaf);
        AdversarialLoss.Losses l = adversarial.ofScale(realMaps, fakeMaps, means);
        Tensor matching = featureMatching.ofScale(realMaps, fakeMaps, means);
        matching.mul(fmWeight).add(l.generator().mul(advWeight)).backward();
        dis += l.discriminator().itemDouble();
        gen += l.generator().itemDouble();
        fm += matching.itemDouble();
        real += meanLogit(realMaps, means);
        fake += meanLogit(fakeMaps, means);
      }
    }
    return new AdversarialTerms(dis, gen, fm / scales, real, fake);
  }

  /** The batch mean of a scale's logits (its last map), for logging. */
  private static double meanLogit(List<Tensor> maps, BatchMean means) {
    return means.of(maps.getLast().mean().detach()).itemDouble();
  }

  /** Switches gradient tracking of a module's parameters (frozen parts compute no gradients). */
  static void setTrainable(Module module, boolean on) {
    for (Parameter p : module.namedParameters().values()) {
      if (p.value().requiresGrad() != on) {
        p.value().requiresGrad(on);
      }
    }
  }

  @Override
  public void close() {
    generatorOptimizer.close();
    discriminatorOptimizer.close();
    distance.close();
    if (ema != null) {
      ema.close();
    }
  }
}
