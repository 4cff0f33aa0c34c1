package io.databasement.storage.web;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error leaves as RFC 9457 problem details with a stable {@code type} URI; nothing internal
 * (stack traces, SQL, secrets) is ever echoed back.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(Problem.class)
    ResponseEntity<ProblemDetail> problem(Problem problem) {
        return ResponseEntity.status(problem.status()).headers(problem.headers()).body(problem.toProblemDetail());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("unexpected failure", e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "the storage service failed unexpectedly; see its log");
        problem.setType(URI.create(Problem.TYPE_BASE + "internal-error"));
        problem.setTitle("Internal error");
        return ResponseEntity.internalServerError().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<FieldViolation> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(e -> new FieldViolation(e.getField(), e.getDefaultMessage()))
                .toList();
        return ResponseEntity.badRequest().body(InvalidRequest.of(errors).toProblemDetail());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        // the parser's message can quote the body (and so a secret): say only that it is malformed
        Problem problem = Problem.badRequest("malformed-request", "Malformed request",
                "the request body is missing or is not valid JSON of the expected shape");
        return ResponseEntity.badRequest().body(problem.toProblemDetail());
    }

    /**
     * Framework-raised errors (unknown path, 405, 415, 406, a path variable of the wrong type, ...) keep their status
     * and get a type URI named after it; a 400 is {@code invalid-request}, as for an invalid field and as in the
     * catalog.
     */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        ProblemDetail problem = body instanceof ProblemDetail p ? p
                : ProblemDetail.forStatusAndDetail(statusCode, reasonPhrase(statusCode));
        if (problem.getType() == null || URI.create("about:blank").equals(problem.getType())) {
            problem.setType(URI.create(Problem.TYPE_BASE + slugFor(statusCode)));
        }
        return super.handleExceptionInternal(ex, problem, headers, statusCode, request);
    }

    private static String slugFor(HttpStatusCode statusCode) {
        HttpStatus status = HttpStatus.resolve(statusCode.value());
        if (status == null) {
            return "error";
        }
        return status == HttpStatus.BAD_REQUEST ? "invalid-request" : status.name().toLowerCase().replace('_', '-');
    }

    private static String reasonPhrase(HttpStatusCode statusCode) {
        HttpStatus status = HttpStatus.resolve(statusCode.value());
        return status == null ? "Error" : status.getReasonPhrase();
    }

    /** A 400 naming each invalid field. */
    public static final class InvalidRequest {
        private InvalidRequest() {
        }

        public static Problem of(List<FieldViolation> errors) {
            String detail = errors.stream().map(e -> e.field() + ": " + e.message())
                    .reduce((a, b) -> a + "; " + b).orElse("invalid request");
            return new Problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail,
                    Map.of("errors", errors));
        }
    }
}
