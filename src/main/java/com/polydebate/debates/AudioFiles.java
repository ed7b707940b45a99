package com.polydebate.debates;

import com.polydebate.http.ApiException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code GET /api/audio/{filename}} (§13.1) with single byte ranges for seeking. */
final class AudioFiles {
    private static final Pattern SAFE_NAME = Pattern.compile("^[A-Za-z0-9-]+\\.mp3$");
    private static final Pattern RANGE = Pattern.compile("^bytes=(\\d*)-(\\d*)$");

    private final Path audioDir;

    AudioFiles(Path audioDir) {
        this.audioDir = audioDir;
    }

    /** A byte position beyond 64 bits cannot name a byte of any file: such a range is unsatisfiable (416). */
    private static boolean fitsInLong(String digits) {
        String significant = digits.replaceFirst("^0+(?=.)", "");
        return significant.length() < 19 || (significant.length() == 19
                && significant.compareTo(Long.toString(Long.MAX_VALUE)) <= 0);
    }

    void handle(Context ctx) throws IOException {
        String name = ctx.pathParam("filename");
        if (!SAFE_NAME.matcher(name).matches()) {
            throw ApiException.badRequest("invalid_filename", "Invalid audio file name");
        }
        Path file = audioDir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw ApiException.notFound("audio_not_found", "Audio file not found");
        }
        long size = Files.size(file);
        ctx.header("Accept-Ranges", "bytes");
        ctx.header("Cache-Control", "public, max-age=31536000, immutable");
        ctx.contentType("audio/mpeg");
        String range = ctx.header("Range");
        if (range == null || range.isBlank()) {
            ctx.result(Files.readAllBytes(file));
            return;
        }
        Matcher m = RANGE.matcher(range.strip());
        long start;
        long end;
        if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
            if (!fitsInLong(m.group(1)) || !fitsInLong(m.group(2))) {
                start = size;
                end = -1;
            } else if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                start = Math.max(0, size - suffix);
                end = size - 1;
                if (suffix == 0) {
                    start = size;
                }
            } else {
                start = Long.parseLong(m.group(1));
                end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            }
        } else {
            start = size;
            end = -1;
        }
        if (start >= size || end < start) {
            ctx.status(416).header("Content-Range", "bytes */" + size).result(new byte[0]);
            return;
        }
        byte[] slice = new byte[(int) (end - start + 1)];
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(start);
            raf.readFully(slice);
        }
        ctx.status(206).header("Content-Range", "bytes " + start + "-" + end + "/" + size).result(slice);
    }
}
