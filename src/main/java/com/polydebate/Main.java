package com.polydebate;

import com.polydebate.backups.BackupRestore;
import com.polydebate.config.Config;
import com.polydebate.config.ConfigException;
import com.polydebate.config.ConfigLoader;
import io.github.cdimascio.dotenv.Dotenv;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the server: environment (over an optional .env file) → config → {@link App}.
 * With {@value #WARM_UP_AND_EXIT} it starts on a free port, answers one health request and exits: the build
 * runs that under {@code -XX:ArchiveClassesAtExit} to record the class-data-sharing archive that halves
 * start-up time (docs/benchmarks.md).
 */
public final class Main {
    static final String WARM_UP_AND_EXIT = "--warm-up-and-exit";
    private static final String JETTY_REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // Without this, Jetty's thread pool creates the platform MBean server (every platform MBean registered, about
        // 90 ms of the start) only to learn whether references are compressed, to size its padding against false
        // sharing. 16 per 64-byte line is right with compressed references (heaps under 32 GiB) and only more padding
        // than needed without them.
        if (System.getProperty(JETTY_REFERENCES_PER_CACHE_LINE) == null) {
            System.setProperty(JETTY_REFERENCES_PER_CACHE_LINE, "16");
        }
        boolean warmUpOnly = Arrays.asList(args).contains(WARM_UP_AND_EXIT);
        Map<String, String> vars = new HashMap<>();
        Dotenv.configure().ignoreIfMissing().ignoreIfMalformed().load()
                .entries(Dotenv.Filter.DECLARED_IN_ENV_FILE)
                .forEach(entry -> vars.put(entry.getKey(), entry.getValue()));
        vars.putAll(System.getenv());
        if (warmUpOnly) {
            vars.put("PORT", "0");
            vars.put("HOST", "127.0.0.1");
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                vars.getOrDefault("LOG_LEVEL", "INFO").toLowerCase());
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        Logger log = LoggerFactory.getLogger(Main.class);

        SecureRandom random = new SecureRandom();
        Config config;
        try {
            config = ConfigLoader.load(vars, random);
        } catch (ConfigException e) {
            log.error(e.getMessage());
            System.exit(2);
            return;
        }
        if (args.length > 0 && args[0].equals(BackupRestore.COMMAND)) {
            System.exit(BackupRestore.run(config, App.blobStore(config), Arrays.asList(args)));
            return;
        }
        App app = App.create(config, Clock.systemUTC(), random).start();
        if (warmUpOnly) {
            warmUp(app);
            app.close();
            System.exit(0);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
        log.info("PolyDebate listening on {}:{} ({})", config.host(), app.port(), config.appEnv());
    }

    private static void warmUp(App app) throws Exception {
        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/health"))
                        .timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (health.statusCode() != 200) {
            throw new IllegalStateException("Warm-up health check answered " + health.statusCode());
        }
    }
}
