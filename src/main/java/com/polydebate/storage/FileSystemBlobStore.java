package com.polydebate.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Blobs as files under a root directory ({@code STORAGE_DIR}), a key being the relative path. Every write goes to
 * a temporary file beside its target first (its name starts with '.', which no key does) and then appears under
 * the key in one atomic step. The file system keeps no content type; the readers know theirs from the key.
 */
public final class FileSystemBlobStore implements BlobStore {
    private final Path root;

    public FileSystemBlobStore(Path root) {
        this.root = root;
    }

    @Override
    public void put(String key, byte[] content, String contentType) throws IOException {
        Path target = path(key);
        Path temp = written(target, content);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] content, String contentType) throws IOException {
        Path target = path(key);
        Path temp = written(target, content);
        try {
            // Unlike a rename, a hard link never replaces an existing file, and it shows the complete file at once.
            Files.createLink(target, temp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public Optional<Blob> open(String key, ByteRange range) throws IOException {
        Path file = path(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            // Size and bytes come from the one open file, so a concurrent replacement cannot mix two versions.
            long size = channel.size();
            Optional<ByteRange.Span> span = range.within(size);
            if (span.isEmpty()) {
                channel.close();
                return Optional.of(new Blob(InputStream.nullInputStream(), span, size));
            }
            channel.position(span.get().first());
            InputStream content = new BoundedInputStream(Channels.newInputStream(channel), span.get().length());
            return Optional.of(new Blob(content, span, size));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public boolean delete(String key) throws IOException {
        return Files.deleteIfExists(path(key));
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(path(key));
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        Path dir = root.resolve(BlobStore.checkedPrefix(prefix));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            // Temporary files (and anything else whose name is not a key, such as dot-files) are not blobs.
            return files.filter(Files::isRegularFile)
                    .map(file -> root.relativize(file).toString().replace(java.io.File.separatorChar, '/'))
                    .filter(key -> KEY.matcher(key).matches())
                    .sorted()
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private Path path(String key) {
        return root.resolve(BlobStore.checkedKey(key));
    }

    private static Path written(Path target, byte[] content) throws IOException {
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".", ".tmp");
        try {
            Files.write(temp, content);
            return temp;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }
}
