package com.polydebate.debates;

import com.polydebate.http.ApiException;
import com.polydebate.http.BlobResponses;
import com.polydebate.storage.BlobStore;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.regex.Pattern;

/** {@code GET /api/audio/{filename}} (§13.1) with single byte ranges for seeking. */
final class AudioFiles {
    /** Narration blobs live under this key prefix, one {@code <message id>.mp3} each. */
    static final String KEY_PREFIX = "audio/";
    static final String CONTENT_TYPE = "audio/mpeg";
    /** A message's audio never changes (§1). */
    private static final String CACHE_CONTROL = "public, max-age=31536000, immutable";
    private static final Pattern SAFE_NAME = Pattern.compile("^[A-Za-z0-9-]+\\.mp3$");

    private final BlobStore blobs;

    AudioFiles(BlobStore blobs) {
        this.blobs = blobs;
    }

    void handle(Context ctx) throws IOException {
        String name = ctx.pathParam("filename");
        if (!SAFE_NAME.matcher(name).matches()) {
            throw ApiException.badRequest("invalid_filename", "Invalid audio file name");
        }
        BlobResponses.serve(ctx, blobs, KEY_PREFIX + name, CONTENT_TYPE, CACHE_CONTROL,
                ApiException.notFound("audio_not_found", "Audio file not found"));
    }
}
