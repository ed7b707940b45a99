package com.polydebate.http;

import com.polydebate.storage.BlobStore;
import com.polydebate.storage.ByteRange;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves a stored blob (audio, avatars) with one byte range for seeking (206, or 416 with the size), streamed to
 * the client as it is read from the file or the bucket, with public caching so that a CDN in front answers most
 * reads.
 */
public final class BlobResponses {
    private static final Pattern RANGE = Pattern.compile("^bytes=(\\d*)-(\\d*)$");
    /** No blob has a byte at the largest long position, so this range is unsatisfiable (416) for every blob. */
    private static final ByteRange NO_BYTE = new ByteRange.From(Long.MAX_VALUE);

    private BlobResponses() {
    }

    /** Writes the blob under {@code key} with {@code cacheControl}, or throws {@code notFound} when there is none. */
    public static void serve(Context ctx, BlobStore blobs, String key, String contentType, String cacheControl,
                             ApiException notFound) throws IOException {
        String range = ctx.header("Range");
        boolean ranged = range != null && !range.isBlank();
        try (BlobStore.Blob blob = blobs.open(key, ranged ? range(range) : ByteRange.ALL)
                .orElseThrow(() -> notFound)) {
            ctx.header("Accept-Ranges", "bytes");
            ctx.header("Cache-Control", cacheControl);
            ctx.contentType(contentType);
            if (!ranged) {
                stream(ctx, blob, blob.size());
                return;
            }
            if (blob.span().isEmpty()) {
                ctx.status(416).header("Content-Range", "bytes */" + blob.size()).result(new byte[0]);
                return;
            }
            ByteRange.Span span = blob.span().get();
            ctx.status(206).header("Content-Range", "bytes " + span.first() + "-" + span.last() + "/" + blob.size());
            stream(ctx, blob, span.last() - span.first() + 1);
        }
    }

    /** Copies the blob to the client as it is read, never holding it whole. */
    private static void stream(Context ctx, BlobStore.Blob blob, long length) throws IOException {
        ctx.header("Content-Length", Long.toString(length));
        blob.content().transferTo(ctx.outputStream());
    }

    /** The range a {@code Range} header asks for; a malformed header is answered 416 like an unsatisfiable one. */
    private static ByteRange range(String header) {
        Matcher m = RANGE.matcher(header.strip());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())
                || !fitsInLong(m.group(1)) || !fitsInLong(m.group(2))) {
            return NO_BYTE;
        }
        if (m.group(1).isEmpty()) {
            return new ByteRange.Last(Long.parseLong(m.group(2)));
        }
        long first = Long.parseLong(m.group(1));
        return m.group(2).isEmpty() ? new ByteRange.From(first)
                : new ByteRange.Between(first, Long.parseLong(m.group(2)));
    }

    /** A byte position beyond 64 bits cannot name a byte of any blob: such a range is unsatisfiable (416). */
    private static boolean fitsInLong(String digits) {
        String significant = digits.replaceFirst("^0+(?=.)", "");
        return significant.length() < 19 || (significant.length() == 19
                && significant.compareTo(Long.toString(Long.MAX_VALUE)) <= 0);
    }
}
