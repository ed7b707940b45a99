package com.polydebate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented start command (bin/polydebate) on the packaged jar copied to a new directory, as a deployment
 * does: each start runs {@code --warm-up-and-exit} (start on a free port, answer one health request, exit) with
 * {@code -Xshare:on}, so the JVM refuses to start unless the class-data-sharing archive maps and matches this jar,
 * and with {@code -Xlog:class+load}, which names the source of every loaded class. Runs in the integration phase
 * of mvn verify, after the jar is built.
 */
class StartCommandIT {
    private static final Path BUILT_JAR = Path.of(System.getProperty("basedir", "."), "target", "polydebate.jar");
    private static final Path LAUNCHER = Path.of(System.getProperty("basedir", "."), "bin", "polydebate");
    private static final String SHARED = "-Xshare:on -Xlog:class+load=info";
    private static final String APP_FROM_ARCHIVE = "com.polydebate.App source: shared objects file (top)";
    private static final String RECORDING = "recording the class-data-sharing archive";

    @TempDir
    Path temp;
    private Path app;

    private record Run(int exitCode, String output) {
    }

    @BeforeEach
    void copy_the_jar_and_the_launcher_to_a_new_directory() throws IOException {
        if (!Files.exists(BUILT_JAR)) {
            System.out.println("StartCommandIT skipped: " + BUILT_JAR + " is not built (run mvn verify)");
        }
        assumeTrue(Files.exists(BUILT_JAR), BUILT_JAR + " is not built");
        app = Files.createDirectories(temp.resolve("deploy"));
        Files.copy(BUILT_JAR, app.resolve("polydebate.jar"));
        Files.copy(LAUNCHER, app.resolve("polydebate"));
    }

    @Test
    void a_copied_jar_records_an_archive_beside_it_at_first_start_reuses_it_and_records_again_when_replaced()
            throws Exception {
        Run first = start(SHARED);
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).contains(RECORDING).contains(APP_FROM_ARCHIVE);
        List<Path> recorded = archives();
        assertThat(recorded).hasSize(1);

        Run again = start(SHARED);
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).doesNotContain(RECORDING).contains(APP_FROM_ARCHIVE);
        assertThat(archives()).isEqualTo(recorded);

        // A redeployed jar: the same bytes with a new modification time, which the recorded archive does not accept.
        Files.setLastModifiedTime(app.resolve("polydebate.jar"), FileTime.from(Instant.now().plusSeconds(120)));
        Run replaced = start(SHARED);
        assertThat(replaced.exitCode()).as(replaced.output()).isZero();
        assertThat(replaced.output()).contains(RECORDING).contains(APP_FROM_ARCHIVE);
        List<Path> afterReplacement = archives();
        assertThat(afterReplacement).hasSize(2).containsAll(recorded);

        // Recorded archives beyond the current one and the one before it are removed.
        Files.setLastModifiedTime(app.resolve("polydebate.jar"), FileTime.from(Instant.now().plusSeconds(240)));
        assertThat(start(SHARED).exitCode()).isZero();
        assertThat(archives()).hasSize(2).doesNotContainAnyElementsOf(recorded);
    }

    @Test
    void memory_defaults_apply_unless_java_opts_choose_their_own() throws Exception {
        // -Xshare:off leaves the archive out of these starts: only the options are under test.
        Run defaults = start("-Xshare:off -XX:+PrintCommandLineFlags");
        assertThat(defaults.exitCode()).as(defaults.output()).isZero();
        // The machine has the 320 MiB above which the launcher starts the heap at 80 MiB with a 64 MiB young one.
        assertThat(flagsLine(defaults)).contains("-XX:+UseSerialGC", "-XX:MaxRAMPercentage=60",
                "-XX:InitialHeapSize=83886080", "-XX:NewSize=67108864", "-XX:MaxNewSize=67108864",
                "-XX:MinHeapFreeRatio=20", "-XX:MaxHeapFreeRatio=40", "-XX:-ShrinkHeapInSteps");

        Run own = start("-Xshare:off -XX:+PrintCommandLineFlags -XX:+UseG1GC -Xmx256m -XX:MaxHeapFreeRatio=70 "
                + "-XX:+ShrinkHeapInSteps");
        assertThat(own.exitCode()).as(own.output()).isZero();
        assertThat(flagsLine(own)).contains("-XX:+UseG1GC", "-XX:MaxHeapSize=268435456", "-XX:MaxHeapFreeRatio=70",
                        "-XX:+ShrinkHeapInSteps")
                .doesNotContain("UseSerialGC", "MaxRAMPercentage", "NewSize=67108864", "MinHeapFreeRatio=20");
    }

    private static String flagsLine(Run run) {
        return run.output().lines().filter(line -> line.startsWith("-XX:")).findFirst().orElse("");
    }

    private Run start(String javaOpts) throws Exception {
        Path storage = Files.createDirectories(temp.resolve("storage"));
        Path output = Files.createTempFile(temp, "start", ".log");
        ProcessBuilder builder = new ProcessBuilder("sh", app.resolve("polydebate").toString(), "--warm-up-and-exit")
                .directory(temp.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        Stream.of("DATABASE_URL", "S3_BUCKET", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS").forEach(env::remove);
        env.put("JAVA_OPTS", javaOpts);
        env.put("TMPDIR", temp.toString());
        env.put("STORAGE_DIR", storage.toString());
        env.put("APP_ENV", "development");
        env.put("EMAIL_SERVICE", "console");
        env.put("LOG_LEVEL", "WARN");
        Process process = builder.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the start command did not finish within 180 s:\n" + Files.readString(output));
        }
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private List<Path> archives() throws IOException {
        try (Stream<Path> files = Files.list(app)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jsa")).sorted().toList();
        }
    }
}
