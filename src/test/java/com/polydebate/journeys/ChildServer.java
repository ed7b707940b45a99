package com.polydebate.journeys;

import static com.polydebate.debates.DebateHarness.MODEL_A;
import static com.polydebate.debates.DebateHarness.MODEL_B;

import com.polydebate.Main;
import com.polydebate.debates.DebateHarness;
import com.polydebate.support.TestDatabases;
import com.polydebate.support.TestHttp;
import com.polydebate.support.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real server as its own operating-system process ({@code java -cp <test class path>} {@link Main}, as the fat
 * jar starts it), so that a test can kill it with SIGKILL. Its output goes to {@code <name>.log} in the storage
 * directory, which a failed start quotes.
 */
final class ChildServer {
    private final Process process;
    private final int port;
    private final TestHttp http;

    private ChildServer(Process process, int port) {
        this.process = process;
        this.port = port;
        this.http = new TestHttp(baseUrl());
    }

    /**
     * The settings of a debate server on {@code storage} (and, in the PostgreSQL run, the schema mapped to it) with
     * every upstream a debate touches pointing at {@code fakes}, listening on {@code port}.
     */
    static Map<String, String> debateEnv(DebateHarness fakes, Path storage, int port) {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", String.valueOf(port));
        env.put("HOST", "127.0.0.1");
        env.put("APP_ENV", "development");
        env.put("LOG_LEVEL", "warn");
        env.put("STORAGE_DIR", storage.toString());
        TestDatabases.databaseUrlFor(storage).ifPresent(url -> env.put("DATABASE_URL", url));
        env.put("JWT_SECRET_KEY", TestServer.TEST_JWT_SECRET);
        env.put("EMAIL_SERVICE", "console");
        env.put("OPENROUTER_API_KEY", "or-test-key");
        env.put("OPENROUTER_API_URL", fakes.openRouter.baseUrl());
        env.put("POLYMARKET_GAMMA_URL", fakes.gamma.baseUrl());
        env.put("POLYMARKET_CLOB_URL", fakes.clob.baseUrl());
        env.put("ELEVENLABS_API_KEY", "el-test-key");
        env.put("ELEVENLABS_API_URL", fakes.elevenLabs.baseUrl());
        env.put("ELEVENLABS_VOICE_IDS", "v0,v1,v2");
        env.put("ALLOWED_MODELS", String.join(",", MODEL_A, MODEL_B));
        env.put("MODEL_TIMEOUT_SECONDS", "5");
        // A short lease, so that another instance takes a killed one's debates over within seconds.
        env.put("DEBATE_LEASE_SECONDS", "2");
        // No test reaches the internet: the upstreams a debate does not need point at a closed port.
        env.put("GEMINI_API_URL", "http://127.0.0.1:9");
        env.put("POLYMARKET_WEB_URL", "http://127.0.0.1:9");
        return env;
    }

    /** Starts the process with exactly {@code env} and waits until it answers its health check. */
    static ChildServer launch(Path storage, String name, Map<String, String> env) throws InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName())
                .directory(storage.toFile())
                .redirectErrorStream(true)
                .redirectOutput(storage.resolve(name + ".log").toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChildServer child = new ChildServer(process, Integer.parseInt(env.get("PORT")));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ": " + log(storage, name));
            }
            try {
                if (child.http.get("/api/health").status() == 200) {
                    return child;
                }
            } catch (UncheckedIOException notYetListening) {
                Thread.sleep(100);
            }
        }
        process.destroyForcibly();
        throw new AssertionError(name + " did not answer its health check within 30 s: " + log(storage, name));
    }

    private static String log(Path storage, String name) {
        try {
            return Files.readString(storage.resolve(name + ".log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    TestHttp http() {
        return http;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** SIGKILL: no shutdown hook runs, no lease is released, nothing is flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the killed server is still running");
        }
    }
}
