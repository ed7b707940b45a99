package com.polydebate.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Audio and avatar files by key ({@code audio/<file>.mp3}, {@code avatars/<file>}), shaped after an object store
 * so that S3 can stand behind it as well as the local disk. Callers build keys only from names they have checked
 * against their own strict patterns; every store refuses anything that is not a {@linkplain #checkedKey key}.
 */
public interface BlobStore extends AutoCloseable {
    /**
     * '/'-separated segments of letters, digits, '.', '_' and '-', none starting with '.': relative, never
     * climbing, valid as an S3 key and as a file path, and never the name of a store's temporary file.
     */
    Pattern KEY = Pattern.compile("^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$");
    int MAX_KEY_LENGTH = 1024;

    /** Stores the bytes under the key, replacing what was there; readers get the old or the new bytes, never a mix. */
    void put(String key, byte[] content, String contentType) throws IOException;

    /**
     * Stores the bytes only when nothing is stored under the key yet, atomically (S3: {@code If-None-Match: *});
     * false, with nothing written, when something is.
     */
    boolean putIfAbsent(String key, byte[] content, String contentType) throws IOException;

    /** The bytes of {@code range} with the blob's total size; empty when nothing is stored under the key. */
    Optional<Blob> open(String key, ByteRange range) throws IOException;

    /** Removes the blob; false when there was none. */
    boolean delete(String key) throws IOException;

    boolean exists(String key) throws IOException;

    /**
     * Every stored key under the folder {@code prefix} (a {@linkplain #checkedKey key} followed by '/', e.g.
     * {@code backups/}), at any depth, in ascending order (S3: ListObjectsV2 with that prefix, every page).
     */
    List<String> list(String prefix) throws IOException;

    /** Releases the store's connections, if it has any. */
    @Override
    default void close() {
    }

    /** The key itself when it is valid, so a store cannot be pointed outside its own space by any input. */
    static String checkedKey(String key) {
        if (key == null || key.length() > MAX_KEY_LENGTH || key.contains("..") || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("Not a blob key: " + key);
        }
        return key;
    }

    /** The prefix itself when it is a valid key followed by '/', the only form {@link #list} accepts. */
    static String checkedPrefix(String prefix) {
        if (prefix == null || !prefix.endsWith("/")) {
            throw new IllegalArgumentException("Not a blob key prefix: " + prefix);
        }
        checkedKey(prefix.substring(0, prefix.length() - 1));
        return prefix;
    }

    /**
     * An opened blob: {@code content} streams the bytes of {@code span} (nothing when the requested range covers
     * no byte), {@code size} is the whole blob's length. Close it to release the file or connection.
     */
    record Blob(InputStream content, Optional<ByteRange.Span> span, long size) implements Closeable {
        @Override
        public void close() throws IOException {
            content.close();
        }
    }
}
