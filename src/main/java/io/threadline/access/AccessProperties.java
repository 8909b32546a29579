package io.threadline.access;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Access, under {@code threadline.access}.
 *
 * @param requireToken whether starting, cancelling, deleting, importing and notes take
 * the presenter token, and reading takes a viewer link; unset: only when the server is
 * bound beyond loopback ({@code server.address})
 * @param token the presenter token; empty: a random one made at start-up and printed with
 * a ready-to-open URL
 * @param allowedHosts host names, besides loopback names and any IP address, that the
 * Host header may carry (the names students type to reach this machine)
 * @param allowedOrigins origins, besides this server's own, whose pages may open the live
 * stream (WebSocket); never {@code *}
 */
@ConfigurationProperties("threadline.access")
public record AccessProperties(Boolean requireToken, @DefaultValue("") String token,
		@DefaultValue List<String> allowedHosts, @DefaultValue List<String> allowedOrigins) {
}
