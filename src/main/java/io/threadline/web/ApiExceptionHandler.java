package io.threadline.web;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.TypeMismatchException;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.databind.exc.MismatchedInputException;

import io.threadline.run.RunConflictException;
import io.threadline.run.RunNotFoundException;
import io.threadline.run.ThreadNotWaitingException;
import io.threadline.run.RunQueueFullException;
import io.threadline.run.UnknownScenarioException;
import io.threadline.scenario.InvalidParamException;

/**
 * The one error shape: every refusal is {@code application/problem+json} with a
 * {@code detail} that says what to do and, where one field was wrong, a {@code field}
 * naming it.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Log log = LogFactory.getLog(ApiExceptionHandler.class);

	@ExceptionHandler
	ResponseEntity<Object> invalidParam(InvalidParamException ex, WebRequest request) {
		return problem(ex, HttpStatus.BAD_REQUEST, "Invalid parameter", ex.getMessage(), ex.field(), request);
	}

	@ExceptionHandler
	ResponseEntity<Object> unknownScenario(UnknownScenarioException ex, WebRequest request) {
		return problem(ex, HttpStatus.BAD_REQUEST, "Unknown scenario", ex.getMessage(), "scenario", request);
	}

	@ExceptionHandler
	ResponseEntity<Object> scenarioNotFound(ScenarioNotFoundException ex, WebRequest request) {
		return problem(ex, HttpStatus.NOT_FOUND, "Unknown scenario", ex.getMessage(), "id", request);
	}

	@ExceptionHandler
	ResponseEntity<Object> runNotFound(RunNotFoundException ex, WebRequest request) {
		return problem(ex, HttpStatus.NOT_FOUND, "Unknown run", ex.getMessage(), "id", request);
	}

	@ExceptionHandler
	ResponseEntity<Object> notWaiting(ThreadNotWaitingException ex, WebRequest request) {
		return problem(ex, HttpStatus.CONFLICT, "Thread not waiting", ex.getMessage(), "thread", request);
	}

	@ExceptionHandler
	ResponseEntity<Object> conflict(RunConflictException ex, WebRequest request) {
		return problem(ex, HttpStatus.CONFLICT, "Run already ended", ex.getMessage(), null, request);
	}

	@ExceptionHandler
	ResponseEntity<Object> queueFull(RunQueueFullException ex, WebRequest request) {
		ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, ex.getMessage());
		body.setTitle("Run queue full");
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, "5");
		headers.setCacheControl(CacheControl.noStore());
		return handleExceptionInternal(ex, body, headers, HttpStatus.TOO_MANY_REQUESTS, request);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		String reason = (ex.getMostSpecificCause() != null) ? ex.getMostSpecificCause().getMessage() : ex.getMessage();
		String firstLine = (reason != null) ? reason.lines().findFirst().orElse("") : "";
		String path = request.getDescription(false);
		String form = path.contains("/notes") ? "{\"tNs\": 12400000, \"text\": \"...\"}"
				: path.contains("/api/recordings") ? "{\"name\": \"...\", \"pinned\": true}"
						: "{\"scenario\": \"...\", \"params\": {...}}";
		return problem(ex, HttpStatus.BAD_REQUEST, "Malformed request body",
				"the request body is not valid JSON of the form " + form + ": " + firstLine, badField(ex), request);
	}

	/**
	 * The top-level field whose value had the wrong type ({@code "tNs": "soon"}), as
	 * Jackson's path names it; "body" when the JSON itself is broken (even inside a
	 * field's value: the field is not what is wrong then).
	 */
	private static String badField(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof MismatchedInputException j && !j.getPath().isEmpty()
					&& j.getPath().getFirst().getPropertyName() != null) {
				return j.getPath().getFirst().getPropertyName();
			}
		}
		return "body";
	}

	@Override
	protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String field = (ex instanceof MethodArgumentTypeMismatchException m) ? m.getName() : ex.getPropertyName();
		String type = (ex.getRequiredType() != null) ? ex.getRequiredType().getSimpleName() : "another type";
		return problem(ex, HttpStatus.BAD_REQUEST, "Invalid parameter",
				field + " must be " + (wholeNumber(type) ? "a whole number" : type) + "; got \"" + ex.getValue() + "\"",
				field, request);
	}

	private static boolean wholeNumber(String type) {
		return switch (type) {
			case "long", "Long", "int", "Integer" -> true;
			default -> false;
		};
	}

	@ExceptionHandler
	ResponseEntity<Object> unexpected(Exception ex, WebRequest request) throws Exception {
		log.error("Unexpected error answering " + request.getDescription(false), ex);
		return problem(ex, HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
				"the server failed unexpectedly; the log has the details", null, request);
	}

	private ResponseEntity<Object> problem(Exception ex, HttpStatus status, String title, String detail, String field,
			WebRequest request) {
		ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
		body.setTitle(title);
		if (field != null) {
			body.setProperty("field", field);
		}
		HttpHeaders headers = new HttpHeaders();
		headers.setCacheControl(CacheControl.noStore());
		return handleExceptionInternal(ex, body, headers, status, request);
	}

}
