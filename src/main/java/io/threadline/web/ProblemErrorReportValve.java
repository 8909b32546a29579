package io.threadline.web;

import java.io.IOException;
import java.io.Writer;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's own refusals (a request it will not hand to the application: a NUL or an
 * encoded slash in the path, a malformed request line) as
 * {@code application/problem+json} like every other refusal, instead of Tomcat's HTML
 * page. Errors the application answered itself have their body already and pass through
 * untouched.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		String title = switch (status) {
			case 400 -> "Bad Request";
			case 404 -> "Not Found";
			case 405 -> "Method Not Allowed";
			case 413 -> "Content Too Large";
			default -> "Error";
		};
		String detail = (status == 400)
				? "The server could not read this request (its path or headers hold characters it refuses, such as "
						+ "NUL or an encoded backslash); check the URL"
				: "The request was refused before it reached Threadline (HTTP " + status + ")";
		String body = "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
				+ detail + "\",\"field\":\"path\"}";
		try {
			response.setContentType("application/problem+json");
			response.setCharacterEncoding("UTF-8");
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(body);
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// the client went away; nothing more to say
		}
	}

}
