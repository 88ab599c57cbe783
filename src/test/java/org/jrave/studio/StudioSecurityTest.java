package org.jrave.studio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.jrave.audio.AudioClip;
import org.jrave.audio.TestAudio;
import org.jrave.audio.WavFile;
import org.jrave.engine.Engine;
import org.jrave.train.log.EventWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The studio is safe by default: loopback only, a token elsewhere, bounded uploads, ids only, no client can stall it. */
class StudioSecurityTest {

  @TempDir static Path tmp;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void engine() {
    Engine.initialize(2);
  }

  @Test
  void bindsToLoopbackAndAnswersOnlyRequestsAddressedToLocalhost() throws Exception {
    try (StudioServer server = StudioServer.start(StudioOptions.local(null, List.of()))) {
      assertThat(server.token()).isNull();
      assertThat(get(server, "/").statusCode()).isEqualTo(200);
      InetAddress external = externalAddress();
      if (external != null) {
        assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress(external, server.port()), 2000))
            .isInstanceOf(ConnectException.class);
      }
      // A page on another site reaching 127.0.0.1 through DNS rebinding sends its own host name.
      assertThat(rawStatus(server.port(), "GET /api/runs HTTP/1.1\r\nHost: rebound.example:" + server.port()
          + "\r\nConnection: close\r\n\r\n")).contains("403");
    }
  }

  @Test
  void openToTheNetworkEveryRequestNeedsTheToken() throws Exception {
    try (StudioServer server = StudioServer.start(StudioOptions.local(null, List.of()).withHost("0.0.0.0"))) {
      String token = server.token();
      assertThat(token).hasSizeGreaterThanOrEqualTo(32);
      assertThat(server.url("0.0.0.0")).endsWith("?token=" + token);
      HttpResponse<String> none = get(server, "/api/models");
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.body()).contains("token");
      assertThat(get(server, "/?token=wrong").statusCode()).isEqualTo(401);
      assertThat(get(server, "/assets/studio.js").statusCode()).isEqualTo(401);

      HttpResponse<String> withToken = get(server, "/?token=" + token);
      assertThat(withToken.statusCode()).isEqualTo(200);
      String cookie = withToken.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
      assertThat(send(server, HttpRequest.newBuilder(uri(server, "/api/models"))
          .header("Cookie", cookie.substring(0, cookie.indexOf(';')))).statusCode()).isEqualTo(200);
      assertThat(send(server, HttpRequest.newBuilder(uri(server, "/api/models"))
          .header("X-Jrave-Token", token)).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void uploadsAreLimitedInSizeAndMustBeAudio() throws Exception {
    Path small = tmp.resolve("short.wav");
    WavFile.write(small, new AudioClip(44100, TestAudio.sine(1, 441, 44100, 440, 0.5)));
    try (StudioServer server = StudioServer.start(StudioOptions.local(null, List.of()).withMaxUploadBytes(4096))) {
      HttpResponse<String> big = upload(server, HttpRequest.BodyPublishers.ofByteArray(new byte[10_000]));
      assertThat(big.statusCode()).isEqualTo(413);
      assertThat(big.body()).contains("larger than this studio accepts");
      // Without a declared length (chunked), the limit holds while reading.
      HttpResponse<String> chunked = upload(server,
          HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[10_000])));
      assertThat(chunked.statusCode()).isEqualTo(413);

      HttpResponse<String> text = upload(server, HttpRequest.BodyPublishers.ofString("this is not a sound ".repeat(20)));
      assertThat(text.statusCode()).isEqualTo(415);
      assertThat(text.body()).contains("'notes.txt' is not an audio file jrave can read").doesNotContain(tmp.toString())
          .doesNotContain("jrave-studio");

      HttpResponse<String> audio = upload(server, HttpRequest.BodyPublishers.ofFile(small));
      assertThat(audio.statusCode()).isEqualTo(200);
      assertThat(audio.body()).contains("\"sampleRate\":44100");
    }
  }

  @Test
  void changesComeOnlyFromTheStudiosOwnPage() throws Exception {
    Path small = tmp.resolve("cross-site.wav");
    WavFile.write(small, new AudioClip(44100, TestAudio.sine(1, 441, 44100, 440, 0.5)));
    try (StudioServer server = StudioServer.start(StudioOptions.local(null, List.of()))) {
      // What a form or fetch of another site sends: no custom header (sending one needs the studio's consent).
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(server, "/api/sounds"))
          .POST(HttpRequest.BodyPublishers.ofFile(small)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.body()).contains("the studio's own page");
    }
  }

  @Test
  void theBrowserNamesThingsOnlyByTheIdsTheServerGave() throws Exception {
    Path secret = Files.writeString(tmp.resolve("secret.txt"), "secret");
    try (StudioServer server = StudioServer.start(StudioOptions.local(tmp, List.of()))) {
      for (String path : List.of("/api/sounds/..%2Fsecret.txt/audio.wav", "/api/sounds/" + secret + "/audio.wav",
          "/api/runs/..%2F..%2Fetc/validations/1/input.wav", "/api/models/..%2Fsecret.txt", "/assets/..%2Findex.html",
          "/assets/secret.txt")) {
        HttpResponse<String> r = get(server, path);
        assertThat(r.statusCode()).as(path).isIn(400, 404);
        assertThat(r.body()).as(path).doesNotContain("secret\"").isNotEqualTo("secret");
      }
      HttpResponse<String> render = send(server, HttpRequest.newBuilder(
          uri(server, "/api/renders?model=" + enc(secret.toString()) + "&sound=" + enc(secret.toString())))
          .POST(HttpRequest.BodyPublishers.noBody()));
      assertThat(render.statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aDamagedRunLogSpoilsOnlyThatRun() throws Exception {
    Path runs = tmp.resolve("runs");
    for (String name : List.of("good", "damaged")) {
      Path run = Files.createDirectories(runs.resolve(name));
      Files.writeString(run.resolve("run.json"), "{}");
      try (EventWriter w = new EventWriter(run.resolve("logs"))) {
        w.scalar("loss", 1, 0.5);
      }
    }
    Path damaged;
    try (var files = Files.list(runs.resolve("damaged/logs"))) {
      damaged = files.findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(damaged);
    bytes[bytes.length - 6] ^= 0x55;
    Files.write(damaged, bytes);
    try (StudioServer server = StudioServer.start(StudioOptions.local(runs, List.of()))) {
      HttpResponse<String> list = get(server, "/api/runs");
      assertThat(list.statusCode()).isEqualTo(200);
      assertThat(list.body()).contains("\"name\":\"good\"").contains("\"name\":\"damaged\"")
          .contains("cannot read the run's logs");
    }
  }

  @Test
  void aStalledOrHalfOpenClientStopsNoOneElse() throws Exception {
    Path model = StudioFixtures.demoModel(tmp);
    try (StudioServer server = StudioServer.start(StudioOptions.local(tmp, List.of(model)))) {
      String sound = uploadTabla(server);
      // Twenty connections that never finish their request, and a live listener that never reads.
      List<Socket> halfOpen = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Socket s = new Socket("127.0.0.1", server.port());
        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
        halfOpen.add(s);
      }
      WebSocket stalled = live(server, sound, new WebSocket.Listener() {
        @Override
        public void onOpen(WebSocket webSocket) {
          // never asks for a message: the socket stops being read
        }
      });
      AtomicInteger blocks = new AtomicInteger();
      WebSocket healthy = live(server, sound, new WebSocket.Listener() {
        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
          if (last) {
            blocks.incrementAndGet();
          }
          webSocket.request(1);
          return null;
        }
      });
      long t0 = System.nanoTime();
      Thread.sleep(6000);
      double seconds = (System.nanoTime() - t0) / 1e9;
      long start = System.nanoTime();
      assertThat(get(server, "/api/models").statusCode()).isEqualTo(200);
      assertThat((System.nanoTime() - start) / 1e6).as("ms to answer with stalled clients around").isLessThan(1000);
      // 2048-sample blocks at 44.1 kHz: 21.5 a second; allow for start-up and a busy machine.
      assertThat(blocks.get()).as("blocks the healthy listener got in %.1f s", seconds).isGreaterThan((int) (seconds * 21.5 * 0.6));
      healthy.abort();
      stalled.abort();
      for (Socket s : halfOpen) {
        s.close();
      }
    }
  }

  @Test
  void liveStreamsAreLimitedInNumber() throws Exception {
    Path model = StudioFixtures.demoModel(tmp.resolve("limit"));
    try (StudioServer server = StudioServer.start(StudioOptions.local(null, List.of(model)))) {
      String sound = uploadTabla(server);
      List<WebSocket> open = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        open.add(live(server, sound, new WebSocket.Listener() {}));
      }
      java.util.concurrent.CompletableFuture<String> refused = new java.util.concurrent.CompletableFuture<>();
      StringBuilder text = new StringBuilder();
      live(server, sound, new WebSocket.Listener() {
        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
          text.append(data);
          webSocket.request(1);
          return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int code, String reason) {
          refused.complete(code + " " + text);
          return null;
        }
      });
      assertThat(refused.get(30, java.util.concurrent.TimeUnit.SECONDS)).startsWith("1008")
          .contains("already 4 live streams");
      open.forEach(WebSocket::abort);
    }
  }

  @Test
  void liveStreamsOpenOnlyFromTheStudiosOwnPage() throws Exception {
    try (StudioServer server = StudioServer.start(StudioOptions.local(null, List.of()))) {
      assertThatThrownBy(() -> HTTP.newWebSocketBuilder().header("Origin", "http://evil.example")
          .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws/live?model=m1&sound=s1"),
              new WebSocket.Listener() {}).join())
          .isInstanceOf(CompletionException.class);
    }
  }

  // ---------------------------------------------------------------- helpers

  static String uploadTabla(StudioServer server) throws Exception {
    HttpResponse<String> r = send(server, HttpRequest.newBuilder(uri(server, "/api/sounds"))
        .header("X-File-Name", "tabla.flac").POST(HttpRequest.BodyPublishers.ofFile(TestAudio.fixture("tabla_loop.flac"))));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
  }

  private static WebSocket live(StudioServer server, String sound, WebSocket.Listener listener) {
    return HTTP.newWebSocketBuilder().header("Origin", "http://127.0.0.1:" + server.port())
        .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws/live?model=m1&sound=" + sound), listener).join();
  }

  private static HttpResponse<String> upload(StudioServer server, HttpRequest.BodyPublisher body) throws Exception {
    return send(server, HttpRequest.newBuilder(uri(server, "/api/sounds")).header("X-File-Name", "notes.txt").POST(body));
  }

  static HttpResponse<String> get(StudioServer server, String path) throws Exception {
    return send(server, HttpRequest.newBuilder(uri(server, path)));
  }

  /** A request as the studio's page sends it. */
  static HttpResponse<String> send(StudioServer server, HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.header("X-Jrave-Studio", "1").timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static URI uri(StudioServer server, String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String rawStatus(int port, String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] line = new byte[64];
      int n = in.read(line);
      return new String(line, 0, Math.max(0, n), StandardCharsets.US_ASCII);
    }
  }

  /** An IPv4 address of this machine other than loopback, or null. */
  private static InetAddress externalAddress() throws IOException {
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nif.isUp() && !nif.isLoopback()) {
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
          if (a instanceof Inet4Address) {
            return a;
          }
        }
      }
    }
    return null;
  }
}
