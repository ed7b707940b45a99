package com.polydebate.profile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Avatar files under {@code STORAGE_DIR/avatars}. Names are always generated here
 * ({@code user{id}_{unix_seconds}.{ext}}), and names coming from a request are accepted only when they
 * match the strict pattern of §16.6, so no input can address a file outside the directory.
 */
final class AvatarStore {
    static final String URL_PREFIX = "/uploads/avatars/";
    private static final Pattern SAFE_NAME =
            Pattern.compile("^[A-Za-z0-9_-]+\\.(jpg|jpeg|png|gif)$", Pattern.CASE_INSENSITIVE);
    private static final int NAME_ATTEMPTS = 5;

    private final Path dir;
    private final SecureRandom random;

    AvatarStore(Path dir, SecureRandom random) {
        this.dir = dir;
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

    /**
     * Writes the avatar atomically and returns its file name. The name is first reserved with an exclusive
     * create, so two uploads of one user within the same second never overwrite each other.
     */
    String save(long userId, Instant now, AvatarImages.Avatar avatar) {
        try {
            Files.createDirectories(dir);
            Path target = reserve("user" + userId + "_" + now.getEpochSecond(), avatar.extension());
            Path temp = Files.createTempFile(dir, ".upload-", ".tmp");
            try {
                Files.write(temp, avatar.bytes());
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temp);
                Files.deleteIfExists(target);
                throw e;
            }
            return target.getFileName().toString();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store an avatar under " + dir, e);
        }
    }

    private Path reserve(String base, String extension) throws IOException {
        String name = base + "." + extension;
        for (int attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
            try {
                return Files.createFile(dir.resolve(name));
            } catch (FileAlreadyExistsException e) {
                byte[] suffix = new byte[4];
                random.nextBytes(suffix);
                name = base + "_" + HexFormat.of().formatHex(suffix) + "." + extension;
            }
        }
        throw new IOException("No free avatar file name for " + base);
    }

    /** The stored file for a request's file name; empty when the name is not ours or no such file exists. */
    Optional<Path> find(String name) {
        if (!isSafeName(name)) {
            return Optional.empty();
        }
        Path file = dir.resolve(name);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    void delete(String name) {
        if (!isSafeName(name)) {
            return;
        }
        try {
            Files.deleteIfExists(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the avatar " + name, e);
        }
    }
}
