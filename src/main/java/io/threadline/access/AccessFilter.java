package io.threadline.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * Enforces {@link Access} on every request, before anything else sees it: a Host this
 * server does not answer to is refused (403); with access required, {@code ?token=} on a
 * page becomes the presenter's cookie (and leaves the address bar), {@code ?view=} or the
 * viewer cookie lets a request read, and changing state takes the presenter, by bearer
 * token or by cookie plus the {@link Access#CSRF_HEADER} header. The WebSocket handshake
 * ({@code /ws}) is a GET like any other read, so the live stream is guarded the same way.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class AccessFilter extends OncePerRequestFilter {

	/** Methods that read; any other changes state. */
	private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

	private final Access access;

	private final JsonMapper json;

	AccessFilter(Access access, JsonMapper json) {
		this.access = access;
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String host = request.getHeader("Host");
		if (!this.access.hostAllowed(host)) {
			problem(response, HttpStatus.FORBIDDEN, "Host not allowed",
					"This server does not answer to the host '" + host
							+ "'; add the name to threadline.access.allowed-hosts if students reach it by that name",
					"Host");
			return;
		}
		if (!this.access.required() || isPublic(request.getRequestURI())) {
			chain.doFilter(request, response);
			return;
		}
		boolean read = READS.contains(request.getMethod());
		String token = request.getParameter("token");
		if (read && token != null && !isApi(request.getRequestURI())) {
			exchangeToken(request, response, token);
			return;
		}
		Role role = this.access.roleOf(request);
		String view = request.getParameter("view");
		if (role == Role.NONE && read && view != null && this.access.isViewerSecret(view)) {
			role = Role.VIEWER;
			if (!isApi(request.getRequestURI())) {
				response.addHeader("Set-Cookie", cookie(Access.VIEWER_COOKIE, view, "Lax"));
			}
		}
		if (role == Role.NONE) {
			refuse(request, response);
			return;
		}
		if (!read && role != Role.PRESENTER) {
			problem(response, HttpStatus.FORBIDDEN, "Presenter only",
					"Viewers can watch runs and recordings but not start, cancel, delete, import or write notes: "
							+ "that takes the presenter token",
					"token");
			return;
		}
		if (!read && this.access.byCookieOnly(request) && request.getHeader(Access.CSRF_HEADER) == null) {
			problem(response, HttpStatus.FORBIDDEN, "Missing " + Access.CSRF_HEADER + " header",
					"A change made with the presenter's cookie must carry the " + Access.CSRF_HEADER
							+ " header (the dashboard sends it; another site cannot)",
					Access.CSRF_HEADER);
			return;
		}
		chain.doFilter(request, response);
	}

	/** The token URL: a valid token becomes the cookie and the address loses it. */
	private void exchangeToken(HttpServletRequest request, HttpServletResponse response, String token)
			throws IOException {
		if (!this.access.isToken(token)) {
			problem(response, HttpStatus.UNAUTHORIZED, "Wrong presenter token",
					"The token in the address is not this server's: use the URL printed when it started", "token");
			return;
		}
		response.addHeader("Set-Cookie", cookie(Access.PRESENTER_COOKIE, this.access.presenterSession(), "Strict"));
		String query = request.getQueryString();
		String rest = UriComponentsBuilder.newInstance().query(query).replaceQueryParam("token").build().getQuery();
		response.setStatus(HttpStatus.SEE_OTHER.value());
		response.setHeader("Location", request.getRequestURI() + ((rest == null || rest.isEmpty()) ? "" : "?" + rest));
	}

	private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (isApi(request.getRequestURI()) || request.getRequestURI().startsWith("/ws")) {
			problem(response, HttpStatus.UNAUTHORIZED, "Presenter token or viewer link required",
					"This Threadline is shared on a network: open the viewer link the presenter gives, or send "
							+ "Authorization: Bearer <presenter token>",
					"token");
			return;
		}
		response.setStatus(HttpStatus.UNAUTHORIZED.value());
		response.setContentType("text/html;charset=UTF-8");
		response.getOutputStream()
			.write(("<!doctype html><meta charset=utf-8><title>Threadline: a link is needed</title>"
					+ "<body style=\"font:18px system-ui;margin:3em;max-width:40em\"><h1>Threadline</h1>"
					+ "<p>This Threadline is shared on a network. Open the <strong>viewer link</strong> the presenter "
					+ "gives you, or, presenting, the URL with the token printed when the server started.</p>")
				.getBytes(StandardCharsets.UTF_8));
	}

	private void problem(HttpServletResponse response, HttpStatus status, String title, String detail, String field)
			throws IOException {
		ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
		p.setTitle(title);
		p.setProperty("field", field);
		response.setStatus(status.value());
		response.setContentType("application/problem+json");
		response.getOutputStream().write(this.json.writeValueAsBytes(p));
	}

	private static String cookie(String name, String value, String sameSite) {
		return ResponseCookie.from(name, value).path("/").httpOnly(true).sameSite(sameSite).build().toString();
	}

	private static boolean isApi(String path) {
		return path.startsWith("/api/") || path.startsWith("/actuator/");
	}

	/** The app's static files, health probes and the contract: nothing of any run. */
	private static boolean isPublic(String path) {
		return path.startsWith("/app/") || path.startsWith("/actuator/health") || path.equals("/openapi.yaml")
				|| path.equals("/favicon.ico") || path.equals("/error");
	}

}
