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
import org.jrave.engine.Recomputation;
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
  private boolean checkpointActivations;

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

  /**
   * With {@code on}, generator updates keep no activations inside residual units and recompute
   * them during the backward pass ({@code --checkpoint-activations}): less memory for about one
   * more forward pass of those units; same gradients.
   */
  public void setCheckpointActivations(boolean on) {
    this.checkpointActivations = on;
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
    try (TensorScope scope = new TensorScope();
        Recomputation recomputation = checkpointActivations && !disStep ? Recomputation.open() : null) {
      Reconstruction r;
      if (disStep) {
        try (NoGrad ignored = NoGrad.enter()) {
          r = reconstruct(x, true, draws);
        }
      } else {
        r = reconstruct(x, encoderFrozen, draws);
      }
      BatchMean means = reduction.batchMean();
      if (disStep) {
        logSpectralTerms(r, x, means, beta, logged);
        discriminatorStep(x, r.audio(), means).log(logged, weights);
      } else {
        generatorStep(r, x, warm, means, beta, logged);
        if (recomputation != null) {
          recomputation.rethrow();
        }
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

  /**
   * The generator's pass: its audio and multiband output (cropped as the distances compare them),
   * the multiband target, and the latent regulariser (null when the encoder has none).
   */
  private record Reconstruction(Tensor audio, Tensor multiband, Tensor targetMultiband, Tensor regularization) {}

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
    return new Reconstruction(yRaw, yMb, xMb, hasReg ? reg : null);
  }

  /** A discriminator step logs the generator's terms too (computed without gradient tracking). */
  private void logSpectralTerms(Reconstruction r, Tensor x, BatchMean means, double beta, Map<String, Double> logged) {
    logged.put(LossWeights.MULTIBAND, distance.distance(r.targetMultiband(), r.multiband(), means).itemDouble()
        * weights.first(LossWeights.MULTIBAND));
    logged.put(LossWeights.FULLBAND, distance.distance(x, r.audio(), means).itemDouble()
        * weights.first(LossWeights.FULLBAND));
    if (r.regularization() != null) {
      logged.put(LossWeights.REGULARIZATION, means.of(r.regularization()).itemDouble() * beta);
    }
  }

  /**
   * A phase-1 or phase-2 generator update. The loss terms are evaluated piece by piece on leaves
   * standing for the generator's two outputs: each STFT scale of each distance (and in phase 2 each
   * discriminator scale) is backpropagated into the leaves' gradients and freed before the next
   * piece, then one backward pass carries the leaves' gradients and the regulariser through the
   * generator. The loss is a sum of these pieces, so the gradient is the whole loss's; only the
   * generator's activations and one piece's are held at a time.
   */
  private void generatorStep(Reconstruction r, Tensor x, boolean warm, BatchMean means, double beta,
      Map<String, Double> logged) {
    generatorOptimizer.zeroGrad();
    Tensor audioLeaf = r.audio().detach().requiresGrad(true);
    Tensor bandsLeaf = r.multiband().detach().requiresGrad(true);
    double multiband = distance.backwardByScale(r.targetMultiband(), bandsLeaf, means,
        weights.first(LossWeights.MULTIBAND) * weights.second(LossWeights.MULTIBAND));
    logged.put(LossWeights.MULTIBAND, multiband * weights.first(LossWeights.MULTIBAND));
    double fullband = distance.backwardByScale(x, audioLeaf, means,
        weights.first(LossWeights.FULLBAND) * weights.second(LossWeights.FULLBAND));
    logged.put(LossWeights.FULLBAND, fullband * weights.first(LossWeights.FULLBAND));
    List<Tensor> roots = new ArrayList<>();
    List<Tensor> gradients = new ArrayList<>();
    if (r.regularization() != null) {
      Tensor regularization = means.of(r.regularization()).mul(beta);
      logged.put(LossWeights.REGULARIZATION, regularization.itemDouble());
      Tensor weighted = regularization.mul(weights.second(LossWeights.REGULARIZATION));
      addRoot(roots, gradients, weighted, weighted.onesLike());
    }
    if (warm) {
      generatorAdversarial(x, audioLeaf, means).log(logged, weights);
    }
    addRoot(roots, gradients, r.audio(), audioLeaf.grad());
    addRoot(roots, gradients, r.multiband(), bandsLeaf.grad());
    if (!roots.isEmpty()) {
      Tensor.backward(roots, gradients);
    }
    reduction.sumGradients(generatorOptimizer.parameters());
    generatorOptimizer.step();
  }

  /** A term joins the backward pass when it has a gradient and something below it learns. */
  private static void addRoot(List<Tensor> roots, List<Tensor> gradients, Tensor output, Tensor gradient) {
    if (gradient != null && output.requiresGrad()) {
      roots.add(output);
      gradients.add(gradient);
    }
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
        List<Tensor> maps = scaleMaps(s, Tensor.cat(List.of(x, y), 0));
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
          realMaps = scaleMaps(s, x);
        }
        List<Tensor> fakeMaps = scaleMaps(s, audioLeaf);
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

  /** The encoder's raw output for the multiband input, in the trainer's precision, returned in float32. */
  private Tensor encode(Tensor xMb) {
    try (Autocast ignored = Autocast.enter(model.device(), precision)) {
      return full(model.encoder().forward(xMb));
    }
  }

  /** One discriminator scale's feature maps, in the trainer's precision, returned in float32. */
  private List<Tensor> scaleMaps(int scale, Tensor input) {
    List<Tensor> maps;
    try (Autocast ignored = Autocast.enter(discriminator.device(), precision)) {
      maps = discriminator.scale(scale, input);
    }
    return precision == Precision.FP32 ? maps : maps.stream().map(this::full).toList();
  }

  /**
   * A forward result as the losses take it: float32 when the forward ran in mixed precision;
   * untouched in fp32 (the float64 replays stay float64).
   */
  private Tensor full(Tensor t) {
    return precision == Precision.FP32 ? t : t.to(Precision.FP32);
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
