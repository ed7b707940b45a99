package com.polydebate.debates;

import com.polydebate.http.ApiException;
import com.polydebate.storage.BlobStore;
import com.polydebate.storage.ByteRange;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code GET /api/audio/{filename}} (§13.1) with single byte ranges for seeking. */
final class AudioFiles {
    /** Narration blobs live under this key prefix, one {@code <message id>.mp3} each. */
    static final String KEY_PREFIX = "audio/";
    static final String CONTENT_TYPE = "audio/mpeg";
    private static final Pattern SAFE_NAME = Pattern.compile("^[A-Za-z0-9-]+\\.mp3$");
    private static final Pattern RANGE = Pattern.compile("^bytes=(\\d*)-(\\d*)$");
    /** No blob has a byte at the largest long position, so this range is unsatisfiable (416) for every file. */
    private static final ByteRange NO_BYTE = new ByteRange.From(Long.MAX_VALUE);

    private final BlobStore blobs;

    AudioFiles(BlobStore blobs) {
        this.blobs = blobs;
    }

    /** A byte position beyond 64 bits cannot name a byte of any file: such a range is unsatisfiable (416). */
    private static boolean fitsInLong(String digits) {
        String significant = digits.replaceFirst("^0+(?=.)", "");
        return significant.length() < 19 || (significant.length() == 19
                && significant.compareTo(Long.toString(Long.MAX_VALUE)) <= 0);
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

    void handle(Context ctx) throws IOException {
        String name = ctx.pathParam("filename");
        if (!SAFE_NAME.matcher(name).matches()) {
            throw ApiException.badRequest("invalid_filename", "Invalid audio file name");
        }
        String range = ctx.header("Range");
        boolean ranged = range != null && !range.isBlank();
        try (BlobStore.Blob blob = blobs.open(KEY_PREFIX + name, ranged ? range(range) : ByteRange.ALL)
                .orElseThrow(() -> ApiException.notFound("audio_not_found", "Audio file not found"))) {
            ctx.header("Accept-Ranges", "bytes");
            ctx.header("Cache-Control", "public, max-age=31536000, immutable");
            ctx.contentType(CONTENT_TYPE);
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

    /** Copies the blob to the client as it is read (from the file or the bucket), never holding it whole. */
    private static void stream(Context ctx, BlobStore.Blob blob, long length) throws IOException {
        ctx.header("Content-Length", Long.toString(length));
        blob.content().transferTo(ctx.outputStream());
    }
}
