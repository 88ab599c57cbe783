package org.jrave.studio;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.UnauthorizedResponse;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * Who may talk to the studio. Bound to a loopback address it answers only requests addressed to
 * the machine itself (a Host header other than localhost means a web page reached it through DNS
 * rebinding). Bound to any other address, every request must carry the token printed at start-up,
 * as notebook servers do: in the URL once ({@code ?token=}, which then sets a cookie), a cookie or
 * the {@code X-Jrave-Token} header. WebSocket upgrades must also come from the studio's own page
 * (Origin check), so another site open in the browser cannot drive a live session.
 */
final class AccessGuard {

  static final String COOKIE = "jrave_token";
  static final String HEADER = "X-Jrave-Token";
  /** Sent by the studio's page with every request that changes something (see {@link #check}). */
  static final String PAGE_HEADER = "X-Jrave-Studio";
  private static final Set<String> LOCAL_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");

  private final String token;

  private AccessGuard(String token) {
    this.token = token;
  }

  /** The guard for a server bound to {@code host}: with a fresh token unless it is a loopback address. */
  static AccessGuard forHost(String host) {
    return isLoopback(host) ? new AccessGuard(null) : new AccessGuard(newToken());
  }

  /** The token requests must carry, or null when bound to loopback only. */
  String token() {
    return token;
  }

  /**
   * Throws an HTTP error response unless the request may go on. A POST must carry the page's own
   * header: a custom header makes browsers ask first before sending another site's request, and the
   * studio never says yes, so no other page can make it decode or render.
   */
  void check(Context ctx) {
    if (ctx.method() == HandlerType.POST && ctx.header(PAGE_HEADER) == null) {
      throw new ForbiddenResponse("requests that change something come from the studio's own page");
    }
    if (token == null) {
      String host = hostName(ctx.header("Host"));
      if (!LOCAL_NAMES.contains(host)) {
        throw new ForbiddenResponse("this studio only answers requests to localhost (the address it is bound to)");
      }
      return;
    }
    String query = ctx.queryParam("token");
    if (matches(query)) {
      // Later requests (images, audio elements, the event stream) carry it as a cookie.
      ctx.header("Set-Cookie", COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
      return;
    }
    if (!matches(ctx.header(HEADER)) && !matches(ctx.cookie(COOKIE))) {
      throw new UnauthorizedResponse("this studio needs its token: open the URL with ?token=... printed when it started");
    }
  }

  /** {@link #check} plus: a WebSocket must be opened by a page of this studio. */
  void checkUpgrade(Context ctx) {
    check(ctx);
    String origin = ctx.header("Origin");
    String host = ctx.header("Host");
    if (origin == null || host == null || !(origin.equals("http://" + host) || origin.equals("https://" + host))) {
      throw new ForbiddenResponse("live sessions can only be opened from the studio's own page");
    }
  }

  private boolean matches(String supplied) {
    return supplied != null && MessageDigest.isEqual(supplied.getBytes(StandardCharsets.UTF_8),
        token.getBytes(StandardCharsets.UTF_8));
  }

  /** The host name of a Host header, without its port. */
  static String hostName(String hostHeader) {
    if (hostHeader == null) {
      return "";
    }
    String h = hostHeader.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(0, end + 1);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String newToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
