package com.polydebate.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.polydebate.support.FreePort;
import com.polydebate.support.TestServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server listens before its migrations end; when they fail, the start fails and leaves nothing behind. */
class StartFailureTest {
    @TempDir
    Path dir;

    @Test
    void a_database_the_migrations_cannot_take_over_fails_the_start_frees_the_port_and_keeps_the_data()
            throws Exception {
        Path file = dir.resolve("foreign.db");
        try (Connection foreign = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            foreign.createStatement().execute("CREATE TABLE users (name TEXT)");
            foreign.createStatement().execute("INSERT INTO users VALUES ('kept')");
        }
        int port = FreePort.any();

        assertThatThrownBy(() -> TestServer.builder()
                .env("PORT", String.valueOf(port))
                .env("DATABASE_URL", "sqlite:///" + file)
                .storage(dir)
                .start())
                .isInstanceOf(FlywayException.class)
                .hasMessageContaining("schema history");

        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
        try (Connection foreign = DriverManager.getConnection("jdbc:sqlite:" + file);
             ResultSet names = foreign.createStatement().executeQuery("SELECT name FROM users")) {
            assertThat(names.next()).isTrue();
            assertThat(names.getString(1)).isEqualTo("kept");
            assertThat(names.next()).isFalse();
        }
    }
}
