package org.jrave.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrave.engine.Adam;
import org.jrave.engine.Autocast;
import org.jrave.engine.Draws;
import org.jrave.engine.Module;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Parameter;
import org.jrave.engine.Precision;
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
  private final Precision precision;
  private ReceptiveField receptiveField = ReceptiveField.UNKNOWN;

  public Trainer(RaveModel model, Discriminator discriminator, Schedule schedule, double emaFactor) {
    this(model, discriminator, schedule, emaFactor, StepReduction.SINGLE);
  }

  /** A trainer whose steps are one process's part of data-parallel steps joined by {@code reduction}. */
  public Trainer(RaveModel model, Discriminator discriminator, Schedule schedule, double emaFactor,
      StepReduction reduction) {
    this(model, discriminator, schedule, emaFactor, reduction, Precision.FP32);
  }

  /**
   * A trainer whose forward passes run in {@code precision}: with {@link Precision#BF16}, the
   * encoder, the decoder and the discriminator run under autocast (bfloat16 convolutions), while
   * parameters, gradients, Adam, the PQMF, the reparametrisation and every loss stay float32.
   */
  public Trainer(RaveModel model, Discriminator discriminator, Schedule schedule, double emaFactor,
      StepReduction reduction, Precision precision) {
    this.precision = precision;
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

  public Precision precision() {
    return precision;
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
      if (warm) {
        Features features = realAndFake(x, r.audio());
        AdversarialLoss.Losses adv = adversarial.overScales(features.real(), features.fake(), means);
        // Every phase-2 step logs both sides' losses, as the reference does; only one side learns.
        logged.put("loss_dis", adv.discriminator().itemDouble());
        logged.put("pred_real", sumOfMeanLogits(features.real(), means));
        logged.put("pred_fake", sumOfMeanLogits(features.fake(), means));
        try (NoGrad ignored = disStep ? NoGrad.enter() : null) { // a discriminator step only logs these
          terms.put(LossWeights.FEATURE_MATCHING, featureMatching.of(features.real(), features.fake(), means)
              .mul(weights.first(LossWeights.FEATURE_MATCHING)));
          terms.put(LossWeights.ADVERSARIAL, adv.generator().mul(weights.first(LossWeights.ADVERSARIAL)));
        }
        if (disStep) {
          discriminatorOptimizer.zeroGrad();
          adv.discriminator().backward();
          reduction.sumGradients(discriminatorOptimizer.parameters());
          discriminatorOptimizer.step();
        }
      }
      if (!disStep) {
        Tensor total = null;
        for (Map.Entry<String, Tensor> e : terms.entrySet()) {
          Tensor weighted = e.getValue().mul(weights.second(e.getKey()));
          total = total == null ? weighted : total.add(weighted);
        }
        generatorOptimizer.zeroGrad();
        total.backward();
        reduction.sumGradients(generatorOptimizer.parameters());
        generatorOptimizer.step();
      }
      terms.forEach((k, v) -> logged.put(k, v.itemDouble()));
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
        raw = encode(xMb);
      }
    } else {
      xMb = model.analyze(x);
      raw = encode(xMb);
    }
    LatentEncoder.Reparametrized z = model.encoder().reparametrize(raw, draws);
    Tensor yMb;
    try (Autocast ignored = Autocast.enter(model.device(), precision)) {
      yMb = model.decodeMultiband(z.z(), draws::uniform);
    }
    yMb = full(yMb);
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

  /** Discriminator feature maps of real and reconstructed audio, scale by scale. */
  private record Features(List<List<Tensor>> real, List<List<Tensor>> fake) {}

  /** The encoder's raw output for the multiband input, in the trainer's precision, returned in float32. */
  private Tensor encode(Tensor xMb) {
    try (Autocast ignored = Autocast.enter(model.device(), precision)) {
      return full(model.encoder().forward(xMb));
    }
  }

  /**
   * A forward result as the losses take it: float32 when the forward ran in mixed precision;
   * untouched in fp32 (the float64 replays stay float64).
   */
  private Tensor full(Tensor t) {
    return precision == Precision.FP32 ? t : t.to(Precision.FP32);
  }

  /** Discriminator features of {@code [x ; y]} in one pass, split into real and fake halves. */
  private Features realAndFake(Tensor x, Tensor y) {
    long b = x.size(0);
    List<List<Tensor>> all;
    try (Autocast ignored = Autocast.enter(discriminator.device(), precision)) {
      all = discriminator.features(Tensor.cat(List.of(x, y), 0));
    }
    if (precision != Precision.FP32) {
      all = all.stream().map(scale -> scale.stream().map(this::full).toList()).toList();
    }
    List<List<Tensor>> real = new ArrayList<>();
    List<List<Tensor>> fake = new ArrayList<>();
    for (List<Tensor> scale : all) {
      real.add(scale.stream().map(t -> t.narrow(0, 0, b)).toList());
      fake.add(scale.stream().map(t -> t.narrow(0, b, b)).toList());
    }
    return new Features(real, fake);
  }

  private static double sumOfMeanLogits(List<List<Tensor>> scales, BatchMean means) {
    double s = 0;
    for (List<Tensor> scale : scales) {
      s += means.of(scale.getLast().mean().detach()).itemDouble();
    }
    return s;
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
