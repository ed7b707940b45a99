package com.polydebate.profile;

import com.polydebate.storage.BlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Avatar blobs {@code avatars/<file>}. File names are always generated here ({@code user{id}_{unix_seconds}.{ext}}),
 * and names coming from a request are accepted only when they match the strict pattern of §16.6, so no input can
 * address anything but an avatar.
 */
final class AvatarStore {
    static final String URL_PREFIX = "/uploads/avatars/";
    private static final String KEY_PREFIX = "avatars/";
    private static final Pattern SAFE_NAME =
            Pattern.compile("^[A-Za-z0-9_-]+\\.(jpg|jpeg|png|gif)$", Pattern.CASE_INSENSITIVE);
    private static final int NAME_ATTEMPTS = 5;

    private final BlobStore blobs;
    private final SecureRandom random;

    AvatarStore(BlobStore blobs, SecureRandom random) {
        this.blobs = blobs;
        this.random = random;
    }

    static boolean isSafeName(String name) {
        return name != null && SAFE_NAME.matcher(name).matches();
    }

    /** The file name of one of our avatar URLs; empty for anything else (for example an external URL). */
    static Optional<String> fileNameOf(String avatarUrl) {
        if (avatarUrl == null || !avatarUrl.startsWith(URL_PREFIX)) {
            return Optional.empty();
        }
        String name = avatarUrl.substring(URL_PREFIX.length());
        return isSafeName(name) ? Optional.of(name) : Optional.empty();
    }

    /** The media type a safe name's extension stands for. */
    static String contentType(String name) {
        return switch (name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT)) {
            case "png" -> "image/png";
            case "gif" -> "image/gif";
            default -> "image/jpeg";
        };
    }

    /**
     * Stores the avatar and returns its file name. The name is taken only while free, so two uploads of one
     * user within the same second never overwrite each other: the second gets a random suffix.
     */
    String save(long userId, Instant now, AvatarImages.Avatar avatar) {
        String base = "user" + userId + "_" + now.getEpochSecond();
        String name = base + "." + avatar.extension();
        try {
            for (int attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
                if (blobs.putIfAbsent(KEY_PREFIX + name, avatar.bytes(), contentType(name))) {
                    return name;
                }
                byte[] suffix = new byte[4];
                random.nextBytes(suffix);
                name = base + "_" + HexFormat.of().formatHex(suffix) + "." + avatar.extension();
            }
            throw new IOException("No free avatar file name for " + base);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store an avatar", e);
        }
    }

    /** The blob key of an avatar file name this store generated (callers check {@link #isSafeName} first). */
    static String key(String name) {
        return KEY_PREFIX + name;
    }

    void delete(String name) {
        if (!isSafeName(name)) {
            return;
        }
        try {
            blobs.delete(KEY_PREFIX + name);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the avatar " + name, e);
        }
    }
}
