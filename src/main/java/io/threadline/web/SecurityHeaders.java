package io.threadline.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Headers every response carries: a content security policy that lets pages run only this
 * server's scripts and talk only to it (a note or a run name that smuggled markup in
 * could run nothing); no page may be framed by another site (clickjacking a dashboard
 * that starts runs), except the embed pages under {@code /embed/}, which lecture slides
 * frame from wherever {@code threadline.web.embed-frame-ancestors} allows; content types
 * are not sniffed; the referrer stays on this origin.
 */
@Component
class SecurityHeaders extends OncePerRequestFilter {

	/**
	 * Everything but framing. Inline styles: the pages set widths and colours from data
	 * through style attributes. Blob workers: the STOMP client's heart-beat ticker.
	 */
	static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
			+ "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
			+ "object-src 'none'; base-uri 'none'; form-action 'self'; ";

	private final String embedAncestors;

	SecurityHeaders(@Value("${threadline.web.embed-frame-ancestors:*}") String embedAncestors) {
		this.embedAncestors = embedAncestors;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		boolean embed = request.getRequestURI().startsWith("/embed/");
		if (embed) {
			response.setHeader("Content-Security-Policy", POLICY + "frame-ancestors " + this.embedAncestors);
		}
		else {
			response.setHeader("Content-Security-Policy", POLICY + "frame-ancestors 'self'");
			response.setHeader("X-Frame-Options", "SAMEORIGIN");
		}
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setHeader("Referrer-Policy", "same-origin");
		chain.doFilter(request, response);
	}

}
