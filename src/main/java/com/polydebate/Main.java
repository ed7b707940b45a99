package com.polydebate;

import com.polydebate.config.Config;
import com.polydebate.config.ConfigException;
import com.polydebate.config.ConfigLoader;
import io.github.cdimascio.dotenv.Dotenv;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the server: environment (over an optional .env file) → config → {@link App}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Map<String, String> vars = new HashMap<>();
        Dotenv.configure().ignoreIfMissing().ignoreIfMalformed().load()
                .entries(Dotenv.Filter.DECLARED_IN_ENV_FILE)
                .forEach(entry -> vars.put(entry.getKey(), entry.getValue()));
        vars.putAll(System.getenv());
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
        App app = App.create(config, Clock.systemUTC(), random).start();
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
        log.info("PolyDebate listening on {}:{} ({})", config.host(), app.port(), config.appEnv());
    }
}
