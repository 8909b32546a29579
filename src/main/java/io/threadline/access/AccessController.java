package io.threadline.access;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/access}: what this request may do, and for the presenter the viewer link to
 * give students ({@code POST /api/access/viewer-link} makes a new one and revokes the
 * old). At start-up, when access is required, prints the presenter's URL.
 */
@RestController
@RequestMapping("/api/access")
class AccessController {

	private static final Log log = LogFactory.getLog(AccessController.class);

	private final Access access;

	AccessController(Access access) {
		this.access = access;
	}

	/** What the dashboard needs to know to show or hide what changes state. */
	record AccessView(boolean required, Role role, String viewerLink) {
	}

	@GetMapping
	AccessView access(HttpServletRequest request) {
		Role role = this.access.roleOf(request);
		String link = (this.access.required() && role == Role.PRESENTER) ? "/?view=" + this.access.viewerSecret()
				: null;
		return new AccessView(this.access.required(), role, link);
	}

	@PostMapping("/viewer-link")
	AccessView newViewerLink(HttpServletRequest request) {
		if (!this.access.required()) {
			ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
					"Access is open (the server listens on loopback): there is no viewer link to renew");
			p.setTitle("No viewer link");
			p.setProperty("field", "threadline.access.require-token");
			throw new ErrorResponseException(HttpStatus.CONFLICT, p, null);
		}
		return new AccessView(true, Role.PRESENTER, "/?view=" + this.access.rotateViewerSecret());
	}

	@EventListener
	void announce(ApplicationReadyEvent event) {
		if (!this.access.required()) {
			return;
		}
		int port = (event.getApplicationContext() instanceof WebServerApplicationContext web)
				? web.getWebServer().getPort() : 8080;
		String base = "http://<this machine>:" + port;
		log.info("Access is required (the server listens beyond loopback). Presenter: " + base + "/?token="
				+ (this.access.tokenGenerated() ? this.access.token() : "<threadline.access.token>")
				+ "  Viewers (read-only): " + base + "/?view=" + this.access.viewerSecret());
	}

}
