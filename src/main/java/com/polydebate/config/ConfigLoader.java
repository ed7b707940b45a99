package com.polydebate.config;

import com.polydebate.config.Config.AppEnv;
import com.polydebate.config.Config.CodeType;
import com.polydebate.config.Config.EmailService;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@link Config} from a map of variables (the environment merged with an optional .env file).
 * Collects every problem before failing, so one start-up attempt shows them all.
 */
public final class ConfigLoader {
    private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);

    static final String DEFAULT_ALLOWED_MODELS = "openai/gpt-5.1-chat,anthropic/claude-haiku-4.5,"
            + "google/gemini-2.5-flash-lite,x-ai/grok-4-fast,qwen/qwen-turbo,deepseek/deepseek-chat-v3.1,"
            + "xiaomi/mimo-v2-flash:free,kwaipilot/kat-coder-pro:free,nvidia/nemotron-nano-12b-v2-vl:free,"
            + "z-ai/glm-4.5-air:free,meta-llama/llama-3.2-3b-instruct:free";
    static final String DEFAULT_VOICES =
            "DwwuoY7Uz8AP8zrY5TAo,UQoLnPXvf18gaKpLzfb8,flHkNRp1BlvT73UL6gyz,si0svtk05vPEuvwAW93c";
    private static final int MIN_SECRET_LENGTH = 32;
    private static final int MIN_ADMIN_PASSWORD_LENGTH = 12;

    private final Map<String, String> vars;
    private final SecureRandom random;
    private final List<String> problems = new ArrayList<>();

    private ConfigLoader(Map<String, String> vars, SecureRandom random) {
        this.vars = vars;
        this.random = random;
    }

    public static Config load(Map<String, String> vars, SecureRandom random) {
        return new ConfigLoader(vars, random).build();
    }

    private Config build() {
        AppEnv appEnv = choice("APP_ENV", "development", AppEnv.class);
        Path storageDir = Path.of(text("STORAGE_DIR", "./storage"));
        String databaseUrl = databaseUrl(storageDir);
        Optional<String> secret = optional("JWT_SECRET_KEY");
        String jwtSecret;
        boolean generated = false;
        if (secret.isEmpty()) {
            if (appEnv == AppEnv.PRODUCTION) {
                problems.add("JWT_SECRET_KEY must be set (at least 32 characters) when APP_ENV=production");
            }
            byte[] key = new byte[32];
            random.nextBytes(key);
            jwtSecret = HexFormat.of().formatHex(key);
            generated = true;
        } else {
            jwtSecret = secret.get();
            if (jwtSecret.length() < MIN_SECRET_LENGTH) {
                if (appEnv == AppEnv.PRODUCTION) {
                    problems.add("JWT_SECRET_KEY must be at least 32 characters when APP_ENV=production");
                } else {
                    log.warn("JWT_SECRET_KEY is shorter than 32 characters; acceptable only for development");
                }
            } else if (appEnv == AppEnv.PRODUCTION && SecretStrength.isWeak(jwtSecret)) {
                problems.add("JWT_SECRET_KEY is guessable (too few distinct characters or a repeated pattern); "
                        + "generate one with: openssl rand -hex 32");
            }
        }
        Optional<String> adminPassword = optional("ADMIN_PASSWORD");
        if (appEnv == AppEnv.PRODUCTION && adminPassword.isPresent()
                && adminPassword.get().length() < MIN_ADMIN_PASSWORD_LENGTH) {
            problems.add("ADMIN_PASSWORD must be at least " + MIN_ADMIN_PASSWORD_LENGTH
                    + " characters when APP_ENV=production (or unset, which disables admin login)");
        }
        EmailService emailService = choice("EMAIL_SERVICE", "console", EmailService.class);
        Optional<String> gmailUser = optional("GMAIL_USER");
        Optional<String> gmailPassword = optional("GMAIL_APP_PASSWORD");
        if (emailService == EmailService.GMAIL && (gmailUser.isEmpty() || gmailPassword.isEmpty())) {
            problems.add("EMAIL_SERVICE=gmail needs GMAIL_USER and GMAIL_APP_PASSWORD");
        }
        String smtpHost = text("SMTP_HOST", "smtp.gmail.com");
        List<String> frontendUrls = list("FRONTEND_URL", "http://localhost:3000");
        if (frontendUrls.isEmpty()) {
            problems.add("FRONTEND_URL must name at least one origin");
            frontendUrls = List.of("http://localhost:3000");
        }
        List<String> voices = list("ELEVENLABS_VOICE_IDS", DEFAULT_VOICES);
        if (voices.isEmpty()) {
            problems.add("ELEVENLABS_VOICE_IDS must name at least one voice");
        }
        Config config = new Config(
                integer("PORT", 5001, 0, 65535),
                text("HOST", "0.0.0.0"),
                appEnv,
                text("APP_NAME", "PolyDebate"),
                text("SUPPORT_EMAIL", "support@polydebate.com"),
                storageDir,
                databaseUrl,
                frontendUrls,
                optional("OPENROUTER_API_KEY"),
                url("OPENROUTER_API_URL", "https://openrouter.ai/api/v1"),
                list("ALLOWED_MODELS", DEFAULT_ALLOWED_MODELS),
                decimal("MODELS_MAX_PRICE_PER_MILLION", 15, 0, 1_000_000),
                integer("MAX_MODELS_PER_DEBATE", 10, 1, 50),
                integer("MAX_ROUNDS", 10, 1, 50),
                integer("MODEL_TIMEOUT_SECONDS", 30, 1, 600),
                integer("DAILY_DEBATE_LIMIT", 3, 0, 100_000),
                integer("DEBATE_WORKERS", 4, 1, 64),
                optional("ELEVENLABS_API_KEY"),
                url("ELEVENLABS_API_URL", "https://api.elevenlabs.io/v1"),
                text("ELEVENLABS_MODEL_ID", "eleven_turbo_v2"),
                voices,
                optional("GEMINI_API_KEY"),
                text("GEMINI_MODEL", "gemini-2.5-flash"),
                url("GEMINI_API_URL", "https://generativelanguage.googleapis.com/v1beta"),
                integer("GEMINI_TIMEOUT_SECONDS", 60, 1, 600),
                url("POLYMARKET_GAMMA_URL", "https://gamma-api.polymarket.com"),
                url("POLYMARKET_WEB_URL", "https://polymarket.com"),
                url("POLYMARKET_CLOB_URL", "https://clob.polymarket.com"),
                upstreamTimeouts(),
                integer("CACHE_MARKETS_TTL", 300, 0, 86_400),
                integer("CACHE_MARKET_DETAILS_TTL", 120, 0, 86_400),
                integer("CACHE_CATEGORIES_TTL", 600, 0, 86_400),
                integer("CACHE_MODELS_TTL", 3600, 0, 86_400),
                jwtSecret,
                generated,
                integer("JWT_EXPIRATION_MINUTES", 43_200, 1, 5_256_000),
                adminPassword,
                integer("CODE_LENGTH", 6, 4, 8),
                choice("CODE_TYPE", "numeric", CodeType.class),
                integer("CODE_EXPIRATION_MINUTES", 15, 1, 1440),
                integer("MAX_CODE_REQUESTS_PER_HOUR", 5, 1, 1000),
                integer("MAX_VERIFICATION_ATTEMPTS", 5, 1, 1000),
                emailService,
                gmailUser,
                gmailPassword,
                smtpHost,
                integer("SMTP_PORT", 587, 1, 65535),
                optional("SMTP_USERNAME"),
                optional("SMTP_PASSWORD"),
                bool("SMTP_USE_TLS", true),
                text("EMAIL_FROM_ADDRESS", "noreply@polydebate.com"),
                text("EMAIL_FROM_NAME", "PolyDebate"),
                bool("EMAIL_FALLBACK_TO_CONSOLE", true),
                choiceText("LOG_LEVEL", "INFO", List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR")),
                trustedProxies(),
                integer("TRUSTED_PROXY_HOPS", 0, 0, 10),
                integer("MAX_CODE_REQUESTS_PER_IP_PER_HOUR", 20, 1, 100_000),
                integer("ADMIN_LOGIN_MAX_FAILURES", 20, 1, 10_000),
                integer("HTTP_IDLE_TIMEOUT_SECONDS", 30, 1, 3600),
                integer("HTTP_HEADER_TIMEOUT_SECONDS", 10, 1, 600),
                instanceId(),
                integer("DEBATE_LEASE_SECONDS", 15, 1, 3600),
                optional("METRICS_TOKEN"),
                s3(),
                backups(),
                integer("DB_POOL_SIZE", 8, 1, 100),
                bool("INDEPENDENT_FIRST_ROUND", true),
                integer("MODEL_CALL_CONCURRENCY", 16, 1, 256),
                integer("MODEL_IDLE_TIMEOUT_SECONDS", 10, 1, 600),
                integer("TRACE_RETENTION_DAYS", 30, 1, 3650),
                integer("HTTP_MAX_THREADS", 64, 8, 1000),
                integer("IDLE_GC_SECONDS", 20, 0, 3600),
                resolutions());
        if (config.trustedProxyHops() > 0 && !config.trustedProxies().isEmpty()) {
            problems.add("Set either TRUSTED_PROXIES or TRUSTED_PROXY_HOPS, not both");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        if (generated) {
            log.warn("JWT_SECRET_KEY is not set: generated a random key for this run; tokens die on restart");
        }
        if (emailService == EmailService.CONSOLE && appEnv == AppEnv.PRODUCTION) {
            log.warn("EMAIL_SERVICE=console in production: verification codes are only written to the log");
        }
        return config;
    }

    private String databaseUrl(Path storageDir) {
        Optional<String> raw = optional("DATABASE_URL");
        if (raw.isEmpty()) {
            return "jdbc:sqlite:" + storageDir.resolve("polydebate.db");
        }
        String url = raw.get();
        // SQLAlchemy form: three slashes then the path, so sqlite:///x.db is relative, sqlite:////x.db absolute.
        if (url.startsWith("sqlite:///")) {
            return "jdbc:sqlite:" + url.substring("sqlite:///".length());
        }
        if (PostgresUrl.isPostgres(url)) {
            return PostgresUrl.toJdbc(url).orElseGet(() -> {
                problems.add("DATABASE_URL must name a host and a database: postgresql://user:password@host:port/db; got "
                        + PostgresUrl.redacted(url));
                return url;
            });
        }
        if (!url.startsWith("jdbc:sqlite:")) {
            problems.add("DATABASE_URL must be a PostgreSQL URL (postgresql://…, postgres://…, jdbc:postgresql://…) "
                    + "or an SQLite one (jdbc:sqlite:…, sqlite:///path); got " + PostgresUrl.redacted(url));
        }
        return url;
    }

    /** Today's timeouts are the defaults; 10 minutes is more than any single upstream answer should need. */
    private UpstreamTimeouts upstreamTimeouts() {
        return new UpstreamTimeouts(
                seconds("UPSTREAM_CONNECT_TIMEOUT_SECONDS", 5),
                seconds("POLYMARKET_TIMEOUT_SECONDS", 10),
                seconds("POLYMARKET_EVENTS_TIMEOUT_SECONDS", 15),
                seconds("POLYMARKET_ENRICH_TIMEOUT_SECONDS", 5),
                seconds("OPENROUTER_MODELS_TIMEOUT_SECONDS", 30),
                seconds("ELEVENLABS_TIMEOUT_SECONDS", 30),
                seconds("ELEVENLABS_STATUS_TIMEOUT_SECONDS", 5));
    }

    /** The bucket for audio and avatars; empty (files under STORAGE_DIR) without S3_BUCKET. */
    private Optional<S3Settings> s3() {
        Optional<String> bucket = optional("S3_BUCKET");
        if (bucket.isEmpty()) {
            for (String name : List.of("S3_ENDPOINT", "S3_PREFIX", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY")) {
                if (optional(name).isPresent()) {
                    problems.add(name + " is set but S3_BUCKET is not; set S3_BUCKET to store audio and avatars "
                            + "in a bucket, or unset " + name);
                }
            }
            return Optional.empty();
        }
        if (!bucket.get().matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            problems.add("S3_BUCKET must be a bucket name (3 to 63 lower-case letters, digits, '.' or '-'); got '"
                    + bucket.get() + "'");
        }
        Optional<URI> endpoint = optional("S3_ENDPOINT").flatMap(this::s3Endpoint);
        boolean r2 = endpoint.map(URI::getHost).filter(h -> h.endsWith(".r2.cloudflarestorage.com")).isPresent();
        Optional<String> keyId = optional("S3_ACCESS_KEY_ID");
        Optional<String> secret = optional("S3_SECRET_ACCESS_KEY");
        if (keyId.isPresent() != secret.isPresent()) {
            problems.add("Set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither (the AWS default "
                    + "credential chain)");
        }
        String prefix = text("S3_PREFIX", "").replaceAll("^/+|/+$", "");
        if (!prefix.isEmpty() && !prefix.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*")) {
            problems.add("S3_PREFIX must be '/'-separated segments of letters, digits, '.', '_' and '-'; got '"
                    + prefix + "'");
        }
        return Optional.of(new S3Settings(bucket.get(), endpoint, text("S3_REGION", r2 ? "auto" : "us-east-1"),
                bool("S3_PATH_STYLE", false), keyId, secret, prefix.isEmpty() ? "" : prefix + "/"));
    }

    private Optional<URI> s3Endpoint(String raw) {
        try {
            URI uri = URI.create(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
            if (uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                return Optional.of(uri);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        problems.add("S3_ENDPOINT must be an http(s) URL such as https://<account>.r2.cloudflarestorage.com; got '"
                + raw + "'");
        return Optional.empty();
    }

    /** Up to a week between snapshots; 0 turns them off. */
    private BackupSettings backups() {
        return new BackupSettings(
                integer("BACKUP_INTERVAL_MINUTES", BackupSettings.DEFAULT_INTERVAL_MINUTES, 0, 10_080),
                integer("BACKUP_RETAIN", BackupSettings.DEFAULT_RETAIN, 1, 1000));
    }

    /** Up to a week between two reads of a market; 0 turns the background polling off. */
    private ResolutionSettings resolutions() {
        return new ResolutionSettings(
                integer("RESOLUTION_POLL_MINUTES", ResolutionSettings.DEFAULT_POLL_MINUTES, 0, 10_080),
                integer("RESOLUTION_REQUESTS_PER_MINUTE", ResolutionSettings.DEFAULT_REQUESTS_PER_MINUTE, 1, 60_000));
    }

    private Duration seconds(String name, int fallback) {
        return Duration.ofSeconds(integer(name, fallback, 1, 600));
    }

    /**
     * Names this process in the debate leases it holds. The default (host, pid, random) never repeats, so a
     * restarted process waits for its predecessor's leases to expire; a fixed id lets a restart take them at once,
     * and must then never be given to two running instances.
     */
    private String instanceId() {
        Optional<String> raw = optional("INSTANCE_ID");
        if (raw.isPresent()) {
            if (raw.get().length() > 100 || !raw.get().matches("[A-Za-z0-9._:@-]+")) {
                problems.add("INSTANCE_ID must be 1 to 100 letters, digits or ._:@-; got '" + raw.get() + "'");
            }
            return raw.get();
        }
        // HOSTNAME rather than a reverse DNS lookup, which can stall start-up on a badly configured host.
        String host = text("HOSTNAME", "instance").replaceAll("[^A-Za-z0-9._-]", "");
        byte[] suffix = new byte[4];
        random.nextBytes(suffix);
        return host + "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(suffix);
    }

    private List<IpRange> trustedProxies() {
        List<IpRange> ranges = new ArrayList<>();
        for (String entry : list("TRUSTED_PROXIES", "")) {
            IpRange.parse(entry).ifPresentOrElse(ranges::add, () -> problems.add(
                    "TRUSTED_PROXIES must list IP addresses or CIDR blocks; got '" + entry + "'"));
        }
        return List.copyOf(ranges);
    }

    private Optional<String> optional(String name) {
        String value = vars.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private String text(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    private List<String> list(String name, String fallback) {
        return Arrays.stream(text(name, fallback).split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private int integer(String name, int fallback, int min, int max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < min || value > max) {
                problems.add(name + " must be between " + min + " and " + max + "; got " + value);
                return fallback;
            }
            return value;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a whole number; got '" + raw.get() + "'");
            return fallback;
        }
    }

    private double decimal(String name, double fallback, double min, double max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            double value = Double.parseDouble(raw.get());
            if (!(value >= min && value <= max)) {
                problems.add(name + " must be between " + min + " and " + max + "; got " + raw.get());
                return fallback;
            }
            return value;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a number; got '" + raw.get() + "'");
            return fallback;
        }
    }

    private boolean bool(String name, boolean fallback) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        String value = raw.get().toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            problems.add(name + " must be true or false; got '" + raw.get() + "'");
            return fallback;
        }
        return value.equals("true");
    }

    private URI url(String name, String fallback) {
        String raw = text(name, fallback);
        try {
            URI uri = URI.create(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                problems.add(name + " must be an http(s) URL; got '" + raw + "'");
                return URI.create(fallback);
            }
            return uri;
        } catch (IllegalArgumentException e) {
            problems.add(name + " must be an http(s) URL; got '" + raw + "'");
            return URI.create(fallback);
        }
    }

    private <E extends Enum<E>> E choice(String name, String fallback, Class<E> type) {
        String raw = text(name, fallback);
        try {
            return Enum.valueOf(type, raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> allowed = Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
            problems.add(name + " must be one of " + allowed + "; got '" + raw + "'");
            return Enum.valueOf(type, fallback.toUpperCase(Locale.ROOT));
        }
    }

    private String choiceText(String name, String fallback, List<String> allowed) {
        String raw = text(name, fallback).toUpperCase(Locale.ROOT);
        if (!allowed.contains(raw)) {
            problems.add(name + " must be one of " + allowed + "; got '" + raw + "'");
            return fallback;
        }
        return raw;
    }
}
