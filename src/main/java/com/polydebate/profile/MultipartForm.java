package com.polydebate.profile;

import com.polydebate.http.ApiException;
import com.polydebate.http.HttpSetup;
import io.javalin.http.Context;
import io.javalin.http.util.MultipartUtil;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpException;

/**
 * A parsed multipart/form-data request. Jetty spools parts above a small threshold to disk, so a large
 * upload never sits in memory as a whole; values are then read with explicit caps. Any parse failure is
 * a 400 (or 413 for an oversized stream), never a 500.
 */
final class MultipartForm implements AutoCloseable {
    private static final int IN_MEMORY_THRESHOLD = 64 * 1024;

    /** A file part: the submitted file name (possibly empty) and the part itself. */
    record FilePart(String fileName, Part part) {
        long size() {
            return part.getSize();
        }

        /** At most {@code max + 1} bytes, so the caller can tell "too large" without reading it all. */
        byte[] readAtMost(long max) {
            try (InputStream in = part.getInputStream()) {
                return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            } catch (IOException e) {
                throw malformed();
            }
        }
    }

    private final List<Part> parts;

    private MultipartForm(List<Part> parts) {
        this.parts = parts;
    }

    static MultipartForm read(Context ctx, Path spoolDir) {
        if (!ctx.isMultipartFormData()) {
            throw ApiException.validation(Map.of("body", "must be multipart/form-data"));
        }
        ctx.req().setAttribute(MultipartUtil.MULTIPART_CONFIG_ATTRIBUTE, new MultipartConfigElement(
                spoolDir.toString(), HttpSetup.MAX_MULTIPART_BYTES, HttpSetup.MAX_MULTIPART_BYTES,
                IN_MEMORY_THRESHOLD));
        try {
            return new MultipartForm(List.copyOf(ctx.req().getParts()));
        } catch (Exception e) {
            // The rest of the body is in an unknown state; announcing the close keeps clients from
            // reusing a connection the server is about to drop.
            ctx.header("Connection", "close");
            if (exceedsLimit(e)) {
                throw new ApiException(413, "payload_too_large", "The upload is too large (at most 6 MiB)");
            }
            throw malformed();
        }
    }

    /** A plain field's value (the first with that name), read up to {@code maxBytes}. */
    Optional<String> text(String name, int maxBytes) {
        return parts.stream()
                .filter(p -> p.getName().equals(name) && p.getSubmittedFileName() == null)
                .findFirst()
                .map(p -> {
                    try (InputStream in = p.getInputStream()) {
                        return new String(in.readNBytes(maxBytes), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw malformed();
                    }
                });
    }

    /** The first part with that name sent as a file (it has a file name attribute, possibly empty). */
    Optional<FilePart> file(String name) {
        return parts.stream()
                .filter(p -> p.getName().equals(name) && p.getSubmittedFileName() != null)
                .findFirst()
                .map(p -> new FilePart(p.getSubmittedFileName(), p));
    }

    @Override
    public void close() {
        for (Part part : parts) {
            try {
                part.delete();
            } catch (IOException e) {
                // best effort: the part is a temporary copy of a request that is over
            }
        }
    }

    /**
     * Whether parsing stopped at the size limit. A body with a Content-Length over the limit never gets
     * here (HttpSetup refuses it first); a chunked one is cut off by Jetty's parser, which reports a 400
     * "bad multipart" whose cause is an IllegalStateException "max length exceeded".
     */
    private static boolean exceedsLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpException http && http.getCode() == 413) {
                return true;
            }
            if (t instanceof IllegalStateException && t.getMessage() != null
                    && t.getMessage().startsWith("max length exceeded")) {
                return true;
            }
        }
        return false;
    }

    private static ApiException malformed() {
        return ApiException.validation(Map.of("body", "is not a valid multipart/form-data body"));
    }
}
