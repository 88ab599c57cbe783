package org.jrave.studio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jrave.audio.AudioClip;
import org.jrave.audio.TestAudio;
import org.jrave.audio.WavFile;
import org.jrave.cli.CliRunner;
import org.jrave.data.TestDatabases;
import org.jrave.engine.Engine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The studio in a real browser: Debian's headless Chromium driven through Selenium. Plays the demo's
 * trained model on a real clip, streams it live while a latent slider moves, and watches a tiny run
 * train. Without Chromium the test fails on CI and, elsewhere, says how to install it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StudioBrowserTest {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir static Path tmp;
  static StudioServer server;
  static WebDriver browser;
  static Thread training;
  static Path db;
  static Path runs;
  static final AtomicReference<CliRunner> trained = new AtomicReference<>();

  @BeforeAll
  static void start() throws Exception {
    requireBrowser();
    Engine.initialize(2);
    db = TestDatabases.tabla(tmp.resolve("db"), 1);
    runs = Files.createDirectories(tmp.resolve("runs"));
    Path model = StudioFixtures.demoModel(tmp);
    server = StudioServer.start(StudioOptions.local(runs, List.of(model)));
    browser = chromium(tmp.resolve("chromium-profile"));
  }

  /** A tiny run that validates every few steps, started while the page is open. */
  private static void startTraining() {
    training = new Thread(() -> trained.set(CliRunner.run("train", "--db", db.toString(), "--output", runs.toString(),
        "--name", "tiny", "--preset", "v2", "--override", "capacity=4", "--override", "latent_size=8", "--batch", "2",
        "--n-signal", "8192", "--phase1", "20", "--val-every", "4", "--save-every", "0", "--max-steps", "300",
        "--max-minutes", "3", "--threads", "1", "--workers", "1")), "test-training");
    training.setDaemon(true);
    training.start();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (training != null) {
      training.join();
    }
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Order(1)
  void pageIsReadyWithTheModelLoaded() {
    long first = openPage();
    long again = openPage();
    System.out.printf("studio page ready with the model loaded: %d ms (first load, model read from disk), %d ms%n",
        first, again);
    assertThat(again).as("ms until the page is ready, model loaded").isLessThan(2000);
  }

  @Test
  @Order(2)
  void uploadsAClipAndPlaysItsReconstructionSampleForSample() throws Exception {
    openPage();
    browser.findElement(By.id("tab-play")).click();
    Path clip = tmp.resolve("tabla.flac");
    Files.copy(TestAudio.fixture("tabla_loop.flac"), clip);
    browser.findElement(By.id("file-input")).sendKeys(clip.toString());
    waitUntil("the input is shown", () -> browser.findElement(By.id("input-sound")).isDisplayed());
    browser.findElement(By.id("reconstruct")).click();
    WebElement render = waitFor("the reconstruction", By.cssSelector("#renders .render"));
    String soundId = render.getDomAttribute("data-sound-id");
    WebElement audio = render.findElement(By.tagName("audio"));

    js("arguments[0].play()", audio);
    waitUntil("the reconstruction plays", () -> (Boolean) js(
        "return !arguments[0].paused && arguments[0].currentTime > 0.2", audio));

    Map<?, ?> decoded = (Map<?, ?>) ((JavascriptExecutor) browser).executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        fetch(arguments[0].currentSrc).then((r) => r.arrayBuffer())
          .then((b) => new OfflineAudioContext(1, 1, 44100).decodeAudioData(b))
          .then((buffer) => {
            const bytes = new Uint8Array(buffer.getChannelData(0).buffer);
            let s = '';
            for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
            done({ rate: buffer.sampleRate, data: btoa(s) });
          }).catch((e) => done({ error: String(e) }));
        """, audio);
    assertThat(decoded.get("error")).isNull();
    float[] played = floats(Base64.getDecoder().decode((String) decoded.get("data")));
    AudioClip served = WavFile.read(server.soundFolder().resolve(soundId + ".wav"));
    assertThat(((Number) decoded.get("rate")).intValue()).isEqualTo(served.sampleRate());
    assertThat(played).hasSize(served.frameCount()).containsExactly(served.channel(0));
    assertThat(render.findElement(By.cssSelector("a.download")).getDomAttribute("href")).endsWith("?download=1");
  }

  @Test
  @Order(3)
  void aLatentSliderChangesTheStreamedAudio() {
    browser.findElement(By.id("live-start")).click();
    waitUntil("live blocks arrive", () -> ((Number) js("return studio.live ? studio.live.received : 0")).intValue() > 40);
    // The three main dimensions' scale to 0: the sound loses most of what the encoder hears in the clip.
    js("""
        for (const dim of [0, 1, 2]) {
          const slider = document.querySelector(`#sliders .scale[data-dim="${dim}"]`);
          slider.value = 0;
          slider.dispatchEvent(new Event('input'));
        }""");
    waitUntil("the move is heard", () -> ((Number) js("return studio.live.heardMs.length")).intValue() > 0);
    waitUntil("blocks with the move arrive", () -> ((Number) js(
        "return studio.live.recent.filter((b) => b.version >= 3).length")).intValue() >= 60);
    double before = ((Number) js("""
        const b = studio.live.recent.filter((b) => b.version === 0 && b.seq > 4).slice(-40);
        return b.reduce((s, x) => s + x.rms, 0) / b.length;""")).doubleValue();
    double after = ((Number) js("""
        // After the decoder's latency (about 6 blocks for this non-causal v2), the move's full effect.
        const b = studio.live.recent.filter((b) => b.version >= 3).slice(20, 60);
        return b.reduce((s, x) => s + x.rms, 0) / b.length;""")).doubleValue();
    double heard = ((Number) js("return studio.live.heardMs[0]")).doubleValue();
    System.out.printf("live: slider move heard after %.0f ms (block %s ms, engine latency %s ms); mean block RMS "
        + "%.4f before, %.4f after; stats %s%n", heard, js("return studio.live.stats.blockMs"),
        js("return studio.live.stats.engineLatencyMs"), before, after, js("return JSON.stringify(studio.live.stats)"));
    assertThat(Math.abs(after - before) / before).as("relative change of the stream's level").isGreaterThan(0.3);
    browser.findElement(By.id("live-stop")).click();
  }

  @Test
  @Order(4)
  void aRunShowsNewValidationsWhileItTrains() {
    openPage();
    startTraining();
    WebElement run = waitFor("the training run in the list", By.xpath("//li[.//div[contains(., 'tiny')]]"));
    waitUntil("the run validated once", () -> validationCount(run) > 0);
    run.click();
    waitUntil("validations shown", () -> !browser.findElements(By.cssSelector("#validations .validation")).isEmpty());
    int shown = browser.findElements(By.cssSelector("#validations .validation")).size();
    waitUntil("a new validation appears without reloading",
        () -> browser.findElements(By.cssSelector("#validations .validation")).size() > shown);
    assertThat(browser.findElements(By.cssSelector("#run-charts canvas"))).isNotEmpty();
    WebElement newest = browser.findElement(By.cssSelector("#validations .validation"));
    assertThat(newest.findElements(By.tagName("audio"))).hasSize(2);
    assertThat(browser.findElement(By.id("run-settings")).getDomProperty("textContent")).contains("\"nSignal\": 8192");
  }

  // ---------------------------------------------------------------- helpers

  private static int validationCount(WebElement run) {
    Object n = js("return fetch('/api/runs').then((r) => r.json()).then((runs) => runs.find((x) => x.name === 'tiny')"
        + ".validationCount)");
    return n == null ? 0 : ((Number) n).intValue();
  }

  /** Opens the page and returns the milliseconds until it is ready with the model described. */
  private static long openPage() {
    long t0 = System.nanoTime();
    browser.get(server.url("127.0.0.1"));
    waitUntil("the page is ready", () -> "true".equals(js("return document.body.dataset.ready"))
        && "ready".equals(browser.findElement(By.id("message")).getText()));
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  private static void waitUntil(String what, java.util.function.Supplier<Boolean> condition) {
    new WebDriverWait(browser, Duration.ofSeconds(120)).withMessage(what).until(d -> {
      if (trained.get() != null && trained.get().exitCode() != 0) {
        fail("the training run failed: " + trained.get().err());
      }
      return Boolean.TRUE.equals(condition.get());
    });
  }

  private static WebElement waitFor(String what, By locator) {
    waitUntil(what, () -> !browser.findElements(locator).isEmpty());
    return browser.findElement(locator);
  }

  private static float[] floats(byte[] bytes) {
    float[] out = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  private static void requireBrowser() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return;
    }
    String message = "the studio's browser test needs Debian's headless Chromium: "
        + "sudo apt-get install -y chromium chromium-driver (.ci/run installs it)";
    if (System.getenv("CI") != null) {
      fail(message);
    }
    System.err.println("StudioBrowserTest skipped: " + message);
    Assumptions.abort(message);
  }

  private static WebDriver chromium(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // The machine's network is closed: nothing that phones home, a fresh profile.
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--autoplay-policy=no-user-gesture-required", "--window-size=1280,900");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }
}
