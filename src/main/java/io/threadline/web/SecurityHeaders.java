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
 * Headers every response carries: no page may be framed by another site (clickjacking a
 * dashboard that starts runs), except the embed pages under {@code /embed/}, which
 * lecture slides frame from wherever {@code threadline.web.embed-frame-ancestors} allows;
 * content types are not sniffed; the referrer stays on this origin.
 */
@Component
class SecurityHeaders extends OncePerRequestFilter {

	private final String embedAncestors;

	SecurityHeaders(@Value("${threadline.web.embed-frame-ancestors:*}") String embedAncestors) {
		this.embedAncestors = embedAncestors;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		boolean embed = request.getRequestURI().startsWith("/embed/");
		if (embed) {
			response.setHeader("Content-Security-Policy", "frame-ancestors " + this.embedAncestors);
		}
		else {
			response.setHeader("Content-Security-Policy", "frame-ancestors 'self'");
			response.setHeader("X-Frame-Options", "SAMEORIGIN");
		}
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setHeader("Referrer-Policy", "same-origin");
		chain.doFilter(request, response);
	}

}
