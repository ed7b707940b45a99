package com.polydebate.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON answers with the contract's content type (§1 names the charset) written straight to the response: one
 * serialisation to bytes and one write, instead of Javalin's string, stream and 32 KiB copy buffer per answer and an
 * after-filter that rewrote the content type of every response.
 */
public final class JsonResponses {
    public static final String CONTENT_TYPE = "application/json; charset=utf-8";
    /** Javalin's default threshold: smaller answers are never compressed. */
    private static final int COMPRESSION_MIN_BYTES = 1500;

    private JsonResponses() {
    }

    /** Answers with JSON bytes serialised beforehand (cached documents). */
    public static void send(Context ctx, byte[] json) {
        ctx.res().setContentType(CONTENT_TYPE);
        try {
            if (json.length < COMPRESSION_MIN_BYTES || ctx.header("Accept-Encoding") == null) {
                // Nothing to compress: straight to Jetty, past the compression check's scan of excluded types.
                ctx.res().setContentLength(json.length);
                ctx.res().getOutputStream().write(json);
            } else {
                // Through Javalin's stream, which compresses large answers for clients that accept it.
                ctx.outputStream().write(json);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers with {@code body} serialised by the application's mapper. */
    public static void send(Context ctx, Object body) {
        send(ctx, bytes(ctx, body));
    }

    /** {@code body} serialised by the application's mapper, for answers kept to be sent again. */
    public static byte[] bytes(Context ctx, Object body) {
        if (ctx.jsonMapper() instanceof JavalinJackson jackson) {
            ObjectMapper mapper = jackson.getMapper();
            try {
                return mapper.writeValueAsBytes(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Answer is not serialisable", e);
            }
        }
        return ctx.jsonMapper().toJsonString(body, body.getClass()).getBytes(StandardCharsets.UTF_8);
    }
}
