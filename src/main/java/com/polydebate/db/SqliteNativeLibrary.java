package com.polydebate.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * sqlite-jdbc copies its native library out of the jar into the temporary directory at every start, under a new
 * random name, and then re-reads both to compare them byte by byte: about a tenth of a second of the start, most of
 * it interpreted. This keeps one copy per library build (named by the jar entry's CRC, which the jar's directory
 * gives without reading the library) in a directory of ours, checked when written, and points the driver at it
 * through the two system properties it reads for exactly that. The driver falls back to its own extraction when
 * the copy cannot be loaded, so this only ever saves time.
 */
public final class SqliteNativeLibrary {
    private static final Logger log = LoggerFactory.getLogger(SqliteNativeLibrary.class);
    private static final String PATH_PROPERTY = "org.sqlite.lib.path";
    private static final String NAME_PROPERTY = "org.sqlite.lib.name";

    private SqliteNativeLibrary() {
    }

    /**
     * Points sqlite-jdbc at a kept copy of its library in {@code dir} (written now when missing), unless the JVM
     * was started with the driver's own properties or the library is not in a jar.
     */
    public static void useCopyIn(Path dir) {
        if (System.getProperty(PATH_PROPERTY) != null || System.getProperty(NAME_PROPERTY) != null) {
            return;
        }
        try {
            keptCopy(dir).ifPresent(library -> {
                System.setProperty(PATH_PROPERTY, library.getParent().toString());
                System.setProperty(NAME_PROPERTY, library.getFileName().toString());
            });
        } catch (IOException | RuntimeException e) {
            log.warn("Cannot keep a copy of the SQLite native library in {} ({}); the driver extracts it itself",
                    dir, e.toString());
        }
    }

    static Optional<Path> keptCopy(Path dir) throws IOException {
        String name = LibraryLoaderUtil.getNativeLibName();
        URL resource = SQLiteJDBCLoader.class.getResource(LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name);
        if (resource == null || !(resource.openConnection() instanceof JarURLConnection jar)) {
            return Optional.empty();
        }
        jar.setUseCaches(false);
        JarEntry entry = jar.getJarEntry();
        if (entry.getCrc() < 0 || entry.getSize() < 0) {
            return Optional.empty();
        }
        String base = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
        String suffix = name.substring(base.length());
        Path copy = dir.toAbsolutePath().resolve("%s-%s-%08x%s".formatted(
                base, SQLiteJDBCLoader.getVersion(), entry.getCrc(), suffix));
        if (Files.isRegularFile(copy) && Files.size(copy) == entry.getSize()) {
            return Optional.of(copy);
        }
        Files.createDirectories(dir);
        Path partial = Files.createTempFile(dir, base, ".partial");
        try {
            CRC32 crc = new CRC32();
            try (InputStream in = new CheckedInputStream(jar.getInputStream(), crc);
                 OutputStream out = Files.newOutputStream(partial)) {
                in.transferTo(out);
            }
            if (crc.getValue() != entry.getCrc() || Files.size(partial) != entry.getSize()) {
                throw new IOException("the copy of " + name + " does not match the jar's entry");
            }
            try {
                Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            return Optional.of(copy);
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
