package org.jrave.studio;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrave.model.RaveModel;

/** The Play panel's requests: the models, uploads, renders through a model, and the sounds' audio and images. */
final class PlayApi {

  private final ModelCatalog models;
  private final PriorCatalog priors;
  private final SoundStore sounds;
  private final Player player;
  private final Workers workers;
  private final ObjectMapper json;
  private final int liveBlock;

  PlayApi(ModelCatalog models, PriorCatalog priors, SoundStore sounds, Player player, Workers workers, ObjectMapper json, int liveBlock) {
    this.models = models;
    this.priors = priors;
    this.sounds = sounds;
    this.player = player;
    this.workers = workers;
    this.json = json;
    this.liveBlock = liveBlock;
  }

  void listModels(Context ctx) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ModelCatalog.Entry e : models.list()) {
      out.add(Map.of("id", e.id(), "label", e.label(), "torchScript", e.torchScript()));
    }
    StudioServer.json(ctx, json, out);
  }

  /** Loads the model and describes it: rate, latent dimensions with their explained variance, live block. */
  void describeModel(Context ctx) throws Exception {
    PlayableModel model = load(ctx.pathParam("model"));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", model.entry().id());
    m.put("label", model.entry().label());
    m.put("sampleRate", model.codec().sampleRate());
    m.put("channels", model.codec().inputChannels());
    m.put("ratio", model.codec().ratio());
    RaveModel nativeModel = model.nativeModel();
    m.put("live", nativeModel != null);
    if (nativeModel != null) {
      m.put("fidelity", workers.model(() -> nativeModel.fidelity().toFloatArray()));
      m.put("block", LiveSession.blockFor(liveBlock, model.codec().ratio()));
      m.put("priors", priors.fitting(nativeModel).stream().map(p -> Map.of("id", p.id(), "label", p.label())).toList());
    }
    StudioServer.json(ctx, json, m);
  }

  void upload(Context ctx) throws Exception {
    String name = ctx.header("X-File-Name");
    String label = name == null || name.isBlank() ? "upload" : decode(name).strip();
    if (label.length() > 120) {
      label = label.substring(0, 120);
    }
    long length = ctx.req().getContentLengthLong();
    try (InputStream body = ctx.bodyInputStream()) {
      StudioServer.json(ctx, json, describe(player.upload(label, body, length)));
    }
  }

  void render(Context ctx) throws Exception {
    PlayableModel model = load(required(ctx, "model"));
    SoundStore.Sound input = sound(required(ctx, "sound"));
    StudioServer.json(ctx, json, describe(player.render(model, input)));
  }

  void sample(Context ctx) throws Exception {
    PlayableModel model = load(required(ctx, "model"));
    PriorCatalog.Entry prior = priors.find(required(ctx, "prior")).orElseThrow(() -> StudioError.notFound("this prior"));
    double seconds = number(ctx, "seconds", 4);
    double temperature = number(ctx, "temperature", 1);
    if (!(seconds > 0 && seconds <= 60)) {
      throw new StudioError(400, "give a duration between 0 and 60 seconds");
    }
    if (!(temperature >= 0 && temperature <= 10)) {
      throw new StudioError(400, "give a temperature between 0 and 10");
    }
    StudioServer.json(ctx, json, describe(player.sample(model, prior, seconds, temperature)));
  }

  private static double number(Context ctx, String name, double fallback) {
    String v = ctx.queryParam(name);
    try {
      return v == null || v.isBlank() ? fallback : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new StudioError(400, name + " must be a number, got '" + v + "'");
    }
  }

  void audio(Context ctx) throws IOException {
    SoundStore.Sound s = sound(ctx.pathParam("sound"));
    ctx.contentType("audio/wav");
    if (ctx.queryParam("download") != null) {
      String name = s.label().replaceAll("[^A-Za-z0-9._ -]", "_");
      ctx.header("Content-Disposition", "attachment; filename=\"" + name + ".wav\"");
    }
    ctx.result(Files.readAllBytes(s.wav()));
  }

  void spectrogram(Context ctx) {
    ctx.contentType("image/png").result(sound(ctx.pathParam("sound")).spectrogram());
  }

  private Map<String, Object> describe(SoundStore.Sound s) {
    Map<String, Object> m = new LinkedHashMap<>();
    String base = "/api/sounds/" + s.id();
    m.put("id", s.id());
    m.put("label", s.label());
    m.put("sampleRate", s.sampleRate());
    m.put("channels", s.channels());
    m.put("seconds", s.seconds());
    m.put("audio", base + "/audio.wav");
    m.put("download", base + "/audio.wav?download=1");
    m.put("spectrogram", base + "/spectrogram.png");
    return m;
  }

  PlayableModel load(String id) throws Exception {
    ModelCatalog.Entry entry = models.find(id).orElseThrow(() -> StudioError.notFound("this model"));
    try {
      return workers.model(() -> models.load(entry));
    } catch (IOException | RuntimeException e) {
      throw new StudioError(422, "cannot load " + entry.label() + ": " + e.getMessage());
    }
  }

  SoundStore.Sound sound(String id) {
    return sounds.find(id).orElseThrow(() -> StudioError.notFound("this sound"));
  }

  private static String decode(String urlEncoded) {
    try {
      return java.net.URLDecoder.decode(urlEncoded, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return urlEncoded;
    }
  }

  private static String required(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) {
      throw new StudioError(400, "the request needs ?" + name + "=");
    }
    return v;
  }
}
