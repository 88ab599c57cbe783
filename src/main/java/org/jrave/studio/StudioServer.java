package org.jrave.studio;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jrave studio's web server: one page (its assets in the jar), the JSON and audio of the Runs and
 * Play panels, and the live stream's WebSocket. Everything the browser names is an id from a list
 * the server made; no path ever comes from the browser.
 */
public final class StudioServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StudioServer.class);
  private static final String WEB = "/org/jrave/studio/web/";
  private static final Map<String, String> ASSETS = Map.of(
      "studio.js", "text/javascript", "studio.css", "text/css", "player-worklet.js", "text/javascript");

  private final AccessGuard guard;
  private final ObjectMapper json = new ObjectMapper();
  private final RunCatalog runs;
  private final ModelCatalog models;
  private final SoundStore sounds;
  private final Workers workers = new Workers();
  private final LiveApi live;
  private final Javalin app;

  private StudioServer(StudioOptions options) throws IOException {
    this.guard = AccessGuard.forHost(options.host());
    this.runs = new RunCatalog(options.runs());
    this.models = new ModelCatalog(options.models(), runs, options.runs());
    this.sounds = new SoundStore(Files.createTempDirectory("jrave-studio"));
    Player player = new Player(sounds, workers, options.maxUploadBytes());
    PlayApi play = new PlayApi(models, new PriorCatalog(options.runs()), sounds, player, workers, json, options.liveBlock());
    RunsApi runsApi = new RunsApi(runs, json);
    this.live = new LiveApi(play, workers, json, options.liveBlock());
    this.app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.http.maxRequestSize = options.maxUploadBytes();
      config.routes.before(guard::check);
      config.routes.wsBeforeUpgrade(guard::checkUpgrade);
      config.routes.get("/", ctx -> asset(ctx, "index.html", "text/html"));
      config.routes.get("/assets/{name}", ctx -> {
        String type = ASSETS.get(ctx.pathParam("name"));
        if (type == null) {
          throw StudioError.notFound("this file");
        }
        asset(ctx, ctx.pathParam("name"), type);
      });
      config.routes.get("/api/runs", runsApi::list);
      config.routes.get("/api/runs/{run}", runsApi::detail);
      config.routes.get("/api/runs/{run}/validations/{step}/spectrogram.png", runsApi::spectrogram);
      config.routes.get("/api/runs/{run}/validations/{step}/input.wav", ctx -> runsApi.audio(ctx, false));
      config.routes.get("/api/runs/{run}/validations/{step}/reconstruction.wav", ctx -> runsApi.audio(ctx, true));
      config.routes.get("/api/models", play::listModels);
      config.routes.get("/api/models/{model}", play::describeModel);
      config.routes.post("/api/sounds", play::upload);
      config.routes.post("/api/renders", play::render);
      config.routes.post("/api/samples", play::sample);
      config.routes.get("/api/sounds/{sound}/audio.wav", play::audio);
      config.routes.get("/api/sounds/{sound}/spectrogram.png", play::spectrogram);
      config.routes.ws("/ws/live", live::configure);
      config.routes.exception(StudioError.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
      config.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
      config.routes.exception(Exception.class, (e, ctx) -> {
        LOG.warn("request {} failed", ctx.path(), e);
        error(ctx, 500, "the studio could not do this: " + e.getMessage());
      });
    });
  }

  /** Starts a studio; {@link #close()} stops it and deletes its temporary sounds. */
  public static StudioServer start(StudioOptions options) throws IOException {
    StudioServer server = new StudioServer(options);
    try {
      server.app.start(options.host(), options.port());
      return server;
    } catch (RuntimeException e) {
      // The port is taken, say: leave no thread or temporary folder behind.
      server.close();
      throw e;
    }
  }

  public int port() {
    return app.port();
  }

  /** The token every request needs, or null when bound to loopback only. */
  public String token() {
    return guard.token();
  }

  /** The address to open, with the token when one is needed. */
  public String url(String host) {
    String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    return "http://" + shown + ":" + port() + "/" + (token() == null ? "" : "?token=" + token());
  }

  static void json(Context ctx, ObjectMapper json, Object value) throws IOException {
    ctx.contentType("application/json").result(json.writeValueAsBytes(value));
  }

  private void error(Context ctx, int status, String message) {
    ctx.status(status);
    try {
      json(ctx, json, Map.of("error", message == null ? "error" : message));
    } catch (IOException e) {
      ctx.result(String.valueOf(message));
    }
  }

  private static void asset(Context ctx, String name, String type) throws IOException {
    try (InputStream in = StudioServer.class.getResourceAsStream(WEB + name)) {
      if (in == null) {
        throw new IllegalStateException("the jrave jar is missing the studio page's " + name);
      }
      ctx.contentType(type + "; charset=utf-8").header("Cache-Control", "no-cache").result(in.readAllBytes());
    }
  }

  @Override
  public void close() {
    app.stop();
    live.close();
    workers.close();
    models.close();
    sounds.close();
  }

  /** Where the studio keeps its sounds' WAV files (tests compare what the browser plays with them). */
  Path soundFolder() {
    return sounds.folder();
  }
}
