package com.polydebate.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.polydebate.auth.EmailAddresses;
import com.polydebate.auth.RateLimitStore;
import com.polydebate.auth.TokenService;
import com.polydebate.auth.User;
import com.polydebate.auth.UserDao;
import com.polydebate.auth.UserView;
import com.polydebate.config.Config;
import com.polydebate.db.Database;
import com.polydebate.db.StorageHealth;
import com.polydebate.db.Timestamps;
import com.polydebate.http.ApiException;
import com.polydebate.results.DebateCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Administration (§17): password login, user deactivation and the read-only overview pages. */
final class AdminService {
    private static final Logger log = LoggerFactory.getLogger(AdminService.class);
    static final int MAX_LOGIN_ATTEMPTS = 5;
    static final Duration LOGIN_WINDOW = Duration.ofMinutes(15);
    static final int DEBATE_LIST_LIMIT = 100;
    static final String ADMIN_NAME = "System Admin";
    private static final String IP_KEY_PREFIX = "admin-login|ip|";
    private static final String GLOBAL_FAILURES_KEY = "admin-login|failures";

    private final Config config;
    private final Database database;
    private final StorageHealth storageHealth;
    private final Jdbi jdbi;
    private final DebateCatalog debates;
    private final TokenService tokens;
    private final RateLimitStore limits;
    private final Clock clock;
    private final Optional<byte[]> passwordDigest;

    AdminService(Config config, Database database, StorageHealth storageHealth, TokenService tokens,
                 RateLimitStore limits, Clock clock) {
        this.storageHealth = storageHealth;
        this.config = config;
        this.database = database;
        this.jdbi = database.jdbi();
        this.debates = new DebateCatalog(jdbi);
        this.tokens = tokens;
        this.limits = limits;
        this.clock = clock;
        this.passwordDigest = config.adminPassword().map(AdminService::sha256);
    }

    record Login(String token, UserView user) {
    }

    /** An item of GET /api/admin/debates; {@code id} repeats the debate id because the page links by it. */
    /** {@code total_cost} is null unless every model call of the debate reported its cost. */
    record AdminDebate(String id, String debateId, String slug, String title, Long userId, String status,
                       boolean isDeleted, Instant createdAt, long totalTokens, Double totalCost) {
    }

    /** {@code models}: cost and time to first token per model, over the traces kept (TRACE_RETENTION_DAYS). */
    record Analytics(long totalUsers, long totalDebates, long totalMessages,
                     @JsonProperty("recent_debates_24h") long recentDebates24h,
                     List<DebateCatalog.ModelCallStats> models) {
    }

    Login login(Optional<String> rawEmail, Optional<String> password, String ip) {
        if (passwordDigest.isEmpty()) {
            throw new ApiException(403, "admin_login_disabled", "Admin login is disabled on this server");
        }
        if (rawEmail.isEmpty() || rawEmail.get().isBlank() || password.isEmpty() || password.get().isEmpty()) {
            throw ApiException.badRequest("missing_credentials", "Both email and password are needed");
        }
        Map<String, String> problems = new LinkedHashMap<>();
        String email = EmailAddresses.check(rawEmail, problems).orElseThrow(() -> ApiException.invalidForm(problems));
        Instant now = clock.instant();
        Instant since = now.minus(LOGIN_WINDOW);
        // Both failure counts are taken before the password is compared, so parallel guesses cannot pass them
        // together, and neither depends on the e-mail in the body; a right password takes its count back. A
        // locked-out IP, or a server locked by too many failures in total, refuses even the right password.
        String ipKey = IP_KEY_PREFIX + ip;
        if (!limits.tryRecord(ipKey, now, since, MAX_LOGIN_ATTEMPTS)) {
            throw tooManyAttempts();
        }
        if (!limits.tryRecord(GLOBAL_FAILURES_KEY, now, since, config.adminLoginMaxFailures())) {
            // No password was compared, so this is no failure of this IP: counting it would keep an admin who
            // retries during the lock locked out past the end of the global window.
            limits.forget(ipKey, now);
            log.warn("Admin login locked: {} failed attempts in {} minutes", config.adminLoginMaxFailures(),
                    LOGIN_WINDOW.toMinutes());
            throw tooManyAttempts();
        }
        // Comparing fixed-length digests keeps the comparison time independent of the password length too.
        if (!MessageDigest.isEqual(passwordDigest.get(), sha256(password.get()))) {
            log.warn("Failed admin login for {} from {}", email, ip);
            throw new ApiException(401, "invalid_credentials", "Wrong admin password");
        }
        limits.forget(ipKey, now);
        limits.forget(GLOBAL_FAILURES_KEY, now);
        User admin = jdbi.inTransaction(h -> {
            UserDao users = h.attach(UserDao.class);
            String stamp = Timestamps.format(now);
            Optional<User> existing = users.findByEmail(email);
            long id;
            if (existing.isPresent()) {
                if (!existing.get().isActive()) {
                    throw new ApiException(403, "account_inactive", "This account has been deactivated");
                }
                id = existing.get().id();
                users.promoteToAdmin(id);
                users.updateLastLogin(id, stamp);
            } else {
                id = users.insert(email, ADMIN_NAME, stamp, stamp, true);
            }
            return users.findById(id).orElseThrow();
        });
        log.info("Admin login for {}", email);
        return new Login(tokens.issue(admin), UserView.of(admin, debates.countOf(admin.id())));
    }

    private static ApiException tooManyAttempts() {
        return new ApiException(429, "rate_limit_exceeded", "Too many admin login attempts; wait 15 minutes",
                Map.of(), Map.of("remaining", 0), Map.of());
    }

    /** Every user, newest first, with the number of their debates that are not deleted. */
    List<UserView> users() {
        Map<Long, Integer> counts = debates.countsByUser();
        return jdbi.onDemand(UserDao.class).listNewestFirst().stream()
                .map(user -> UserView.of(user, counts.getOrDefault(user.id(), 0)))
                .toList();
    }

    void deactivate(User admin, String rawUserId) {
        long userId;
        try {
            userId = Long.parseLong(rawUserId);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("not_found", "No such user");
        }
        if (userId == admin.id()) {
            throw new ApiException(409, "cannot_deactivate_self", "You cannot deactivate your own account");
        }
        UserDao users = jdbi.onDemand(UserDao.class);
        if (users.deactivate(userId) == 0) {
            throw ApiException.notFound("not_found", "No such user");
        }
        log.info("Admin {} deactivated user {}", admin.id(), userId);
    }

    List<AdminDebate> debates() {
        return debates.newest(DEBATE_LIST_LIMIT).stream()
                .map(d -> new AdminDebate(d.debateId(), d.debateId(), d.marketId(), d.marketQuestion(), d.userId(),
                        d.status(), d.deleted(), d.createdAt(), d.totalTokens(), d.totalCost()))
                .toList();
    }

    Analytics analytics() {
        DebateCatalog.Totals totals = debates.totals(clock.instant().minus(Duration.ofHours(24)));
        return new Analytics(jdbi.onDemand(UserDao.class).count(), totals.debates(), totals.messages(),
                totals.debatesSince(), debates.modelCallStats());
    }

    /** Runtime and storage facts for the debug page: never secrets, no environment value but APP_ENV. */
    Map<String, Object> debug() {
        Map<String, Object> storage = new LinkedHashMap<>();
        storage.put("db_exists", databaseExists());
        storage.put("database_kind", database.kind().label());
        storage.put("database_writable", database.isHealthy() && storageHealth.isWritable());
        storage.put("audio_dir_exists", Files.isDirectory(config.audioDir()));
        storage.put("avatar_dir_exists", Files.isDirectory(config.avatarDir()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("python_version", "Java " + System.getProperty("java.version") + " ("
                + System.getProperty("java.vendor") + ")");
        data.put("java_version", System.getProperty("java.version"));
        data.put("env", config.appEnv().name().toLowerCase(Locale.ROOT));
        data.put("storage_status", storage);
        return data;
    }

    private boolean databaseExists() {
        String url = config.databaseUrl();
        String prefix = "jdbc:sqlite:";
        if (url.startsWith(prefix)) {
            String path = url.substring(prefix.length());
            int query = path.indexOf('?');
            path = query >= 0 ? path.substring(0, query) : path;
            if (path.startsWith("file:")) {
                path = path.substring("file:".length());
            }
            if (!path.isEmpty() && !path.equals(":memory:")) {
                return Files.isRegularFile(Path.of(path)) && database.isHealthy();
            }
        }
        return database.isHealthy();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
