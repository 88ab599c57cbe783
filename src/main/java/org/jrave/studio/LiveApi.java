package org.jrave.studio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.websocket.WsCloseContext;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsMessageContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jrave.audio.AudioDecoder;
import org.jrave.audio.AudioTarget;
import org.jrave.audio.DecodedAudio;
import org.jrave.model.RaveModel;

/**
 * The live stream's WebSocket ({@code /ws/live?model=ID&sound=ID}): starts a {@link LiveSession}
 * on connect, applies the page's latent messages ({@code {"type":"latent","dim","bias","scale",
 * "version"}}, {@code {"type":"reset","version"}}, {@code {"type":"ping"}} every few seconds: a page
 * that vanished without closing is dropped at the connection's idle timeout), sends the session's figures twice a second and
 * stops it when the page goes.
 */
final class LiveApi implements AutoCloseable {

  /** Blocks in flight to one browser before its next blocks are dropped. */
  private static final int MAX_IN_FLIGHT = 8;
  /** Live streams at once: each takes a share of the machine's cores. */
  private static final int MAX_SESSIONS = 4;

  private final PlayApi play;
  private final Workers workers;
  private final ObjectMapper json;
  private final int liveBlock;
  private final Map<String, Client> clients = new ConcurrentHashMap<>();
  /** Taken when a stream starts setting up, given back when it ends. */
  private final Semaphore slots = new Semaphore(MAX_SESSIONS);
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "studio-live-stats");
    t.setDaemon(true);
    return t;
  });

  private record Client(LiveSession session, BoundedSender sender) {}

  LiveApi(PlayApi play, Workers workers, ObjectMapper json, int liveBlock) {
    this.play = play;
    this.workers = workers;
    this.json = json;
    this.liveBlock = liveBlock;
    ticker.scheduleAtFixedRate(this::sendStats, 500, 500, TimeUnit.MILLISECONDS);
  }

  void configure(WsConfig ws) {
    ws.onConnect(this::connect);
    ws.onMessage(this::message);
    ws.onClose(this::closed);
    ws.onError(ctx -> stop(ctx));
  }

  private void connect(WsConnectContext ctx) {
    BoundedSender sender = new BoundedSender(ctx.session, MAX_IN_FLIGHT);
    if (!slots.tryAcquire()) {
      fail(ctx, sender, "already " + MAX_SESSIONS + " live streams: stop one first");
      return;
    }
    boolean started = false;
    try {
      PlayableModel model = play.load(param(ctx, "model"));
      SoundStore.Sound sound = play.sound(param(ctx, "sound"));
      RaveModel nativeModel = model.nativeModel();
      if (nativeModel == null) {
        throw new StudioError(422, "live latent control needs a jrave model; " + model.entry().label()
            + " is a TorchScript export");
      }
      if (sound.source() == null) {
        throw new StudioError(400, "choose an uploaded clip to loop");
      }
      DecodedAudio loop = workers.decode(() -> new AudioDecoder().decode(sound.source(),
          AudioTarget.of(model.codec().sampleRate(), model.codec().inputChannels())));
      int block = LiveSession.blockFor(liveBlock, model.codec().ratio());
      LiveSession session = workers.model(() -> model.locked(
          () -> LiveSession.start(nativeModel, loop.samples(), block, sender)));
      clients.put(ctx.sessionId(), new Client(session, sender));
      started = true;
      if (!ctx.session.isOpen()) {
        stop(ctx);   // the page left while the stream was being set up
        return;
      }
      sender.sendText(json.writeValueAsString(session.started()));
    } catch (StudioError e) {
      fail(ctx, sender, e.getMessage());
    } catch (Exception e) {
      fail(ctx, sender, "the live stream could not start: " + e.getMessage());
    } finally {
      if (!started) {
        slots.release();
      }
    }
  }

  private void message(WsMessageContext ctx) {
    Client client = clients.get(ctx.sessionId());
    if (client == null) {
      return;
    }
    try {
      JsonNode m = json.readTree(ctx.message());
      int version = m.path("version").asInt();
      switch (m.path("type").asText()) {
        case "latent" -> client.session().setLatent(m.path("dim").asInt(-1),
            (float) m.path("bias").asDouble(0), (float) m.path("scale").asDouble(1), version);
        case "reset" -> client.session().reset(version);
        case "ping" -> { } // keeps the connection from timing out while no slider moves
        default -> client.sender().sendText(error("unknown message type"));
      }
    } catch (Exception e) {
      // A bad message costs that message only.
      client.sender().sendText(error(e.getMessage()));
    }
  }

  private void closed(WsCloseContext ctx) {
    stop(ctx);
  }

  private void stop(WsContext ctx) {
    Client client = clients.remove(ctx.sessionId());
    if (client != null) {
      client.session().close();
      slots.release();
    }
  }

  private void sendStats() {
    for (Client c : clients.values()) {
      try {
        c.sender().sendText(json.writeValueAsString(c.session().stats()));
      } catch (Exception e) {
        // That client's problem only.
      }
    }
  }

  private void fail(WsContext ctx, BoundedSender sender, String message) {
    sender.sendText(error(message));
    ctx.closeSession(1008, message.length() > 120 ? message.substring(0, 120) : message);
  }

  private String error(String message) {
    try {
      return json.writeValueAsString(Map.of("type", "error", "message", String.valueOf(message)));
    } catch (Exception e) {
      return "{\"type\":\"error\"}";
    }
  }

  private static String param(WsContext ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) {
      throw new StudioError(400, "the live stream needs ?" + name + "=");
    }
    return v;
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    for (String id : clients.keySet()) {
      Client client = clients.remove(id);
      if (client != null) {
        client.session().close();
      }
    }
  }
}
