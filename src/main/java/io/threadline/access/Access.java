package io.threadline.access;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The access state of this server: whether tokens are required, the presenter token, the
 * cookie values that stand for it and for the current viewer link, and which Host headers
 * it answers to. Secrets are compared in constant time.
 */
@Component
public class Access {

	/** Cookie of a presenter who opened the token URL (HttpOnly, SameSite=Strict). */
	public static final String PRESENTER_COOKIE = "tl_presenter";

	/** Cookie of a viewer who opened the share link. */
	public static final String VIEWER_COOKIE = "tl_viewer";

	/**
	 * Header every state-changing request from a page carries: a cross-site form or image
	 * cannot set it, and a cross-site script cannot send it without a CORS preflight this
	 * server never allows, so a cookie alone never changes state (CSRF).
	 */
	public static final String CSRF_HEADER = "X-Threadline";

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

	private final boolean required;

	private final String token;

	private final boolean tokenGenerated;

	private final String presenterSession = secret();

	private volatile String viewerSecret = secret();

	private final List<String> allowedHosts;

	public Access(AccessProperties properties, @Value("${server.address:}") String serverAddress) {
		this.required = (properties.requireToken() != null) ? properties.requireToken() : !isLoopback(serverAddress);
		this.tokenGenerated = properties.token().isBlank();
		this.token = this.tokenGenerated ? secret() : properties.token();
		this.allowedHosts = properties.allowedHosts().stream().map((h) -> h.toLowerCase(Locale.ROOT)).toList();
	}

	/** Whether state changes take the presenter token and reading a viewer link. */
	public boolean required() {
		return this.required;
	}

	/** The presenter token (for the start-up message). */
	String token() {
		return this.token;
	}

	boolean tokenGenerated() {
		return this.tokenGenerated;
	}

	/** What this request may do: everything when access is open. */
	public Role roleOf(HttpServletRequest request) {
		if (!this.required) {
			return Role.PRESENTER;
		}
		String auth = request.getHeader("Authorization");
		if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
				&& same(auth.substring(7).trim(), this.token)) {
			return Role.PRESENTER;
		}
		if (same(cookie(request, PRESENTER_COOKIE), this.presenterSession)) {
			return Role.PRESENTER;
		}
		if (same(cookie(request, VIEWER_COOKIE), this.viewerSecret)) {
			return Role.VIEWER;
		}
		return Role.NONE;
	}

	/**
	 * Whether the presenter role comes from a cookie (then the CSRF header is needed).
	 */
	boolean byCookieOnly(HttpServletRequest request) {
		String auth = request.getHeader("Authorization");
		return auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7);
	}

	boolean isToken(String candidate) {
		return same(candidate, this.token);
	}

	boolean isViewerSecret(String candidate) {
		return same(candidate, this.viewerSecret);
	}

	String presenterSession() {
		return this.presenterSession;
	}

	/** The current viewer link's secret. */
	public String viewerSecret() {
		return this.viewerSecret;
	}

	/** A new viewer link; the old one (and every viewer's cookie) stops working. */
	public String rotateViewerSecret() {
		this.viewerSecret = secret();
		return this.viewerSecret;
	}

	/**
	 * Whether a Host header names this server: loopback names, any IP address (a page
	 * cannot rebind an address literal), or a configured name. A missing header
	 * (HTTP/1.0) is let through.
	 */
	public boolean hostAllowed(String hostHeader) {
		if (hostHeader == null || hostHeader.isBlank()) {
			return true;
		}
		String host = hostOf(hostHeader.trim().toLowerCase(Locale.ROOT));
		return LOOPBACK_NAMES.contains(host) || host.endsWith(".localhost") || isIpLiteral(host)
				|| this.allowedHosts.contains(host);
	}

	/** The host part of a Host header: without its port, IPv6 brackets kept off. */
	static String hostOf(String hostHeader) {
		if (hostHeader.startsWith("[")) {
			int end = hostHeader.indexOf(']');
			return (end > 0) ? hostHeader.substring(1, end) : hostHeader;
		}
		int colon = hostHeader.indexOf(':');
		return (colon >= 0 && hostHeader.indexOf(':', colon + 1) < 0) ? hostHeader.substring(0, colon) : hostHeader;
	}

	static boolean isIpLiteral(String host) {
		if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
			return true;
		}
		return host.contains(":") && host.matches("[0-9a-f:.]+");
	}

	static boolean isLoopback(String address) {
		if (address == null || address.isBlank()) {
			return false; // all interfaces
		}
		try {
			return InetAddress.getByName(address).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	private static String cookie(HttpServletRequest request, String name) {
		Cookie[] cookies = request.getCookies();
		if (cookies != null) {
			for (Cookie c : cookies) {
				if (name.equals(c.getName())) {
					return c.getValue();
				}
			}
		}
		return null;
	}

	private static boolean same(String a, String b) {
		return a != null && b != null
				&& MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
	}

	private static String secret() {
		byte[] b = new byte[24];
		RANDOM.nextBytes(b);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
	}

}
