package com.polydebate.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

class SqliteNativeLibraryTest {
    @TempDir
    Path dir;

    @Test
    void the_kept_copy_holds_exactly_the_drivers_library() throws Exception {
        Path copy = SqliteNativeLibrary.keptCopy(dir.resolve("native")).orElseThrow();

        assertThat(copy.getParent()).isEqualTo(dir.resolve("native"));
        assertThat(copy.getFileName().toString()).contains(SQLiteJDBCLoader.getVersion());
        assertThat(Files.readAllBytes(copy)).isEqualTo(driverLibrary());
        try (var files = Files.list(copy.getParent())) {
            assertThat(files).containsExactly(copy);
        }
    }

    @Test
    void a_second_start_reuses_the_copy_without_writing_it() throws Exception {
        Path copy = SqliteNativeLibrary.keptCopy(dir).orElseThrow();
        FileTime written = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));
        Files.setLastModifiedTime(copy, written);

        assertThat(SqliteNativeLibrary.keptCopy(dir)).contains(copy);
        assertThat(Files.getLastModifiedTime(copy)).isEqualTo(written);
    }

    @Test
    void a_truncated_copy_is_written_again() throws Exception {
        Path copy = SqliteNativeLibrary.keptCopy(dir).orElseThrow();
        Files.write(copy, new byte[] {1, 2, 3});

        assertThat(SqliteNativeLibrary.keptCopy(dir)).contains(copy);
        assertThat(Files.readAllBytes(copy)).isEqualTo(driverLibrary());
    }

    @Test
    void the_copy_is_named_by_the_library_checksum() throws Exception {
        CRC32 crc = new CRC32();
        crc.update(driverLibrary());

        Path copy = SqliteNativeLibrary.keptCopy(dir).orElseThrow();

        assertThat(copy.getFileName().toString()).contains("%08x".formatted(crc.getValue()));
    }

    private static byte[] driverLibrary() throws Exception {
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }
}
