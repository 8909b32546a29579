package io.threadline.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard and the API refuse to be framed by other sites; embed pages may be. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SecurityHeadersIT {

	@LocalServerPort
	int port;

	private HttpResponse<String> get(String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void pagesRefuseFramingByOtherSitesAndEmbedPagesAllowIt() throws Exception {
		for (String path : new String[] { "/", "/recordings", "/api/scenarios" }) {
			HttpResponse<String> r = get(path);
			assertThat(r.statusCode()).as(path).isEqualTo(200);
			assertThat(r.headers().firstValue("Content-Security-Policy")).as(path)
				.hasValue(SecurityHeaders.POLICY + "frame-ancestors 'self'");
			assertThat(r.headers().firstValue("X-Frame-Options")).as(path).hasValue("SAMEORIGIN");
			assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
			assertThat(r.headers().firstValue("Referrer-Policy")).as(path).hasValue("same-origin");
		}
		HttpResponse<String> embed = get("/embed/anything");
		assertThat(embed.headers().firstValue("Content-Security-Policy"))
			.hasValue(SecurityHeaders.POLICY + "frame-ancestors *");
		assertThat(embed.headers().firstValue("X-Frame-Options")).isEmpty();
	}

}
