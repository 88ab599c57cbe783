package org.jrave.studio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrave.train.RunSettings;

/**
 * The Runs panel's data: every run's progress, and for one run its loss curves, the step where phase
 * 2 begins, its settings and its validations (spectrogram, input and reconstruction audio). Read
 * from the run's files at each request, so it follows a run while it trains; training itself is
 * another process and never waits for the studio.
 */
final class RunsApi {

  /** Points per loss curve sent to the page (curves are thinned evenly beyond that). */
  private static final int CURVE_POINTS = 800;
  /** A run that logged within this many seconds is shown as training. */
  private static final double ACTIVE_SECONDS = 120;

  private final RunCatalog runs;
  private final ObjectMapper json;

  RunsApi(RunCatalog runs, ObjectMapper json) {
    this.runs = runs;
    this.json = json;
  }

  void list(Context ctx) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (RunCatalog.Entry run : runs.list()) {
      out.add(summary(run));
    }
    StudioServer.json(ctx, json, out);
  }

  void detail(Context ctx) throws IOException {
    RunCatalog.Entry run = run(ctx);
    Map<String, Object> out = summary(run);
    out.put("settings", settings(run));
    Map<String, List<double[]>> curves = new LinkedHashMap<>();
    run.history().scalars(CURVE_POINTS).forEach((tag, points) ->
        curves.put(tag, points.stream().map(p -> new double[] {p.step(), p.value()}).toList()));
    out.put("scalars", curves);
    List<Map<String, Object>> validations = new ArrayList<>();
    for (RunHistory.Validation v : run.history().validations()) {
      String base = "/api/runs/" + run.id() + "/validations/" + v.step();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("step", v.step());
      m.put("spectrogram", Files.isRegularFile(spectrogramFile(run, v.step())) ? base + "/spectrogram.png" : null);
      m.put("input", base + "/input.wav");
      m.put("reconstruction", base + "/reconstruction.wav");
      validations.add(m);
    }
    out.put("validations", validations);
    StudioServer.json(ctx, json, out);
  }

  void spectrogram(Context ctx) throws IOException {
    RunCatalog.Entry run = run(ctx);
    Path png = spectrogramFile(run, step(ctx));
    if (!Files.isRegularFile(png)) {
      throw StudioError.notFound("this validation's spectrogram");
    }
    ctx.contentType("image/png").result(Files.readAllBytes(png));
  }

  /** The first validation item's input, or its reconstruction (logged right after it, as long). */
  void audio(Context ctx, boolean reconstruction) throws IOException {
    RunCatalog.Entry run = run(ctx);
    RunHistory.Validation v = run.history().validation(step(ctx));
    if (v == null) {
      throw StudioError.notFound("this validation");
    }
    int item = run.folder().readSettings().nSignal();
    byte[] all = RunHistory.audio(v);
    byte[] wav = Pcm16Wav.slice(all, reconstruction ? item : 0, item);
    ctx.contentType("audio/wav").result(wav);
  }

  private Map<String, Object> summary(RunCatalog.Entry run) {
    Map<String, Object> m = new LinkedHashMap<>();
    try {
      run.history().refresh();
    } catch (IOException | RuntimeException e) {
      // A damaged log spoils that run's page only; what was read before stays.
      m.put("problem", "cannot read the run's logs: " + e.getMessage());
    }
    m.put("id", run.id());
    m.put("name", run.name());
    RunHistory.Speed speed = run.history().speed();
    m.put("step", speed.step());
    m.put("stepsPerSecond", speed.stepsPerSecond());
    long maxSteps = -1;
    long phase2 = -1;
    try {
      RunSettings settings = run.folder().readSettings();
      maxSteps = settings.maxSteps();
      phase2 = settings.phase1Duration() >= 0 ? settings.phase1Duration()
          : run.folder().readConfig().training().phase1Duration();
    } catch (IOException | RuntimeException e) {
      m.putIfAbsent("problem", "cannot read the run's settings: " + e.getMessage());
    }
    m.put("maxSteps", maxSteps);
    m.put("phase2From", phase2);
    double eta = speed.stepsPerSecond() > 0 && maxSteps > speed.step()
        ? (maxSteps - speed.step()) / speed.stepsPerSecond() : -1;
    m.put("etaSeconds", eta);
    double age = System.currentTimeMillis() / 1000.0 - run.history().lastWallTime();
    m.put("active", run.history().lastWallTime() > 0 && age < ACTIVE_SECONDS && speed.step() < maxSteps);
    m.put("validationCount", run.history().validations().size());
    return m;
  }

  private JsonNode settings(RunCatalog.Entry run) {
    try {
      return json.readTree(run.folder().settingsFile().toFile());
    } catch (IOException e) {
      return json.getNodeFactory().textNode("cannot read run.json: " + e.getMessage());
    }
  }

  private RunCatalog.Entry run(Context ctx) {
    return runs.find(ctx.pathParam("run")).orElseThrow(() -> StudioError.notFound("this run"));
  }

  private static long step(Context ctx) {
    try {
      return Long.parseLong(ctx.pathParam("step"));
    } catch (NumberFormatException e) {
      throw new StudioError(400, "a validation step is a number");
    }
  }

  private static Path spectrogramFile(RunCatalog.Entry run, long step) {
    return run.folder().validation().resolve(String.format("step_%08d.png", step));
  }
}
