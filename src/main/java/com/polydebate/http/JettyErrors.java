package com.polydebate.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty answers some requests itself before Javalin sees them (a URL with {@code %00}, a broken request
 * line or header): without this those answers are Jetty's HTML pages; with it they carry the contract's
 * JSON error body (§2) like every other error.
 */
final class JettyErrors extends ErrorHandler {
    private final ErrorBodies errors;
    private final Cors cors;
    private final SecurityHeaders securityHeaders;
    private final ObjectMapper mapper;

    JettyErrors(ErrorBodies errors, Cors cors, SecurityHeaders securityHeaders, ObjectMapper mapper) {
        this.errors = errors;
        this.cors = cors;
        this.securityHeaders = securityHeaders;
        this.mapper = mapper;
    }

    /** Jetty writes a body only for GET, POST and HEAD by default; every method gets the JSON error here. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws JsonProcessingException {
        ApiException error = code >= 500
                ? new ApiException(code, "internal_error", "An unexpected error occurred")
                : switch (code) {
                    case 413 -> new ApiException(code, "payload_too_large", "The request is too large");
                    case 431 -> new ApiException(code, "headers_too_large", "The request headers are too large");
                    default -> new ApiException(code, "bad_request",
                            "The request could not be understood (malformed URL, header or body)");
                };
        byte[] body = mapper.writeValueAsBytes(errors.body(error));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        securityHeaders.apply(response.getHeaders()::put);
        response.getHeaders().put(HttpHeader.VARY, "Origin");
        allowedOrigin(request).ifPresent(origin -> response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN,
                origin));
        // Jetty drops the connection after a request it could not parse; saying so keeps clients from sending
        // their next request on it and getting no answer at all.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /**
     * The allowed origin the request names. A request whose headers Jetty could not read (431: too large) arrives
     * here with no headers at all, so its Origin is unknown; this answer is a generic error without credentials or
     * data, so it is opened to every origin ("*") rather than left unreadable to the frontend that sent it.
     */
    private Optional<String> allowedOrigin(Request request) {
        HttpFields headers = request.getHeaders();
        return headers.size() == 0 ? Optional.of("*") : cors.allowedOrigin(headers.get(HttpHeader.ORIGIN));
    }
}
