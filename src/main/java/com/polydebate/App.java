package com.polydebate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.polydebate.admin.AdminFeature;
import com.polydebate.auth.AccessControl;
import com.polydebate.auth.AuthFeature;
import com.polydebate.auth.CodeMailer;
import com.polydebate.auth.RateLimitStore;
import com.polydebate.auth.TokenService;
import com.polydebate.backups.Backups;
import com.polydebate.config.Config;
import com.polydebate.db.Database;
import com.polydebate.db.DebateChanges;
import com.polydebate.db.SqliteNativeLibrary;
import com.polydebate.db.StorageHealth;
import com.polydebate.debates.DailyQuota;
import com.polydebate.debates.DebateFeature;
import com.polydebate.debates.DebateHooks;
import com.polydebate.docs.DocsRoutes;
import com.polydebate.favorites.FavoriteFeature;
import com.polydebate.http.Bodies;
import com.polydebate.http.HttpSetup;
import com.polydebate.http.Json;
import com.polydebate.http.RequestMetrics;
import com.polydebate.http.OpenApi;
import com.polydebate.markets.MarketRoutes;
import com.polydebate.metrics.MetricsFeature;
import com.polydebate.metrics.ModelSpeed;
import com.polydebate.markets.MarketService;
import com.polydebate.models.ModelRoutes;
import com.polydebate.models.ModelService;
import com.polydebate.profile.ProfileFeature;
import com.polydebate.resolutions.ResolutionFeature;
import com.polydebate.results.ResultsRoutes;
import com.polydebate.results.ResultsService;
import com.polydebate.scores.ScoreFeature;
import com.polydebate.storage.BlobStore;
import com.polydebate.storage.FileSystemBlobStore;
import com.polydebate.storage.S3BlobStore;
import com.polydebate.system.IdleCollection;
import com.polydebate.system.SystemRoutes;
import com.polydebate.upstream.UpstreamHttp;
import com.polydebate.upstream.UpstreamMetrics;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The composition root: builds config → database → HTTP clients → services → routes with plain
 * constructor calls. Tests build exactly this app with their own config, clock and randomness.
 */
public final class App implements AutoCloseable {
    private final Config config;
    private final Database database;
    private final BlobStore blobs;
    private final TokenService tokens;
    private final MarketService markets;
    private final DebateFeature debates;
    private final ResultsService results;
    private final ProfileFeature profile;
    private final ResolutionFeature resolutions;
    private final Backups backups;
    private final HttpSetup http;
    private final MetricsFeature metrics;
    private final UpstreamHttp upstream;
    private final IdleCollection idleCollection;
    private final Javalin javalin;

    private App(Config config, Clock clock, SecureRandom random, DebateHooks debateHooks) {
        this.config = config;
        createStorage(config);
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        if (Database.Kind.of(config.databaseUrl()) == Database.Kind.SQLITE) {
            SqliteNativeLibrary.useCopyIn(config.storageDir().resolve("native"));
        }
        // First, so the migrations (the longest part of a first start) have the most time beside the rest.
        this.database = Database.openMigrating(config.databaseUrl(), config.dbPoolSize(), meters);
        try {
            this.blobs = blobStore(config);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        this.upstream = UpstreamHttp.builtLater(config.upstreamTimeouts().connect(),
                new UpstreamMetrics(meters, upstreamServices(config)));
        ObjectMapper mapper = Json.newMapper();
        this.backups = new Backups(config.backups(), database, blobs, config.storageDir(), clock);

        this.tokens = new TokenService(config, clock, random);
        DailyQuota quota = new DailyQuota(config, clock);
        AccessControl access = new AccessControl(tokens, database.jdbi());
        Bodies bodies = new Bodies(mapper);
        RateLimitStore rateLimits = new RateLimitStore(database.jdbi());
        this.markets = new MarketService(config, upstream, mapper, clock);
        ModelService models = new ModelService(config, upstream, clock);
        ScoreFeature scores = new ScoreFeature(database.jdbi(), clock, ScoreFeature.BOOTSTRAP_SEED);
        DebateChanges changes = new DebateChanges(database.kind(), config.instanceId());
        this.results = new ResultsService(config, database.jdbi(), upstream, markets, mapper, clock, random, scores,
                changes);
        this.resolutions = new ResolutionFeature(config.resolutions(), database.jdbi(), markets, mapper, clock,
                config.instanceId(), scores::scoreResolved);
        ModelSpeed modelSpeed = new ModelSpeed(meters);
        this.debates = new DebateFeature(config, clock, mapper, database.jdbi(), upstream, markets, models, quota,
                results::finalizeResults, debateHooks, blobs, random, modelSpeed::record, changes);

        StorageHealth storage = new StorageHealth(config.storageDir(), clock);
        this.http = new HttpSetup(config, clock, storage, mapper, new RequestMetrics(meters), random);
        this.metrics = new MetricsFeature(meters, config.metricsToken(), debateCounts(debates), clock);
        OpenApi openApi = new OpenApi(mapper, List.of("system", "auth", "admin", "markets", "models", "docs",
                "results", "favorites", "profile", "debates", "resolutions", "scores"));
        SystemRoutes system = new SystemRoutes(config, database, storage, openApi, clock);
        this.idleCollection = IdleCollection.of(config.idleGcSeconds(), clock);
        AuthFeature auth = new AuthFeature(config, database.jdbi(), tokens, quota, CodeMailer.fromConfig(config),
                rateLimits, bodies, clock, random);
        AdminFeature admin = new AdminFeature(config, database, storage, tokens, rateLimits, bodies, clock);
        MarketRoutes marketRoutes = new MarketRoutes(markets);
        ModelRoutes modelRoutes = new ModelRoutes(models);
        DocsRoutes docs = new DocsRoutes();
        ResultsRoutes resultsRoutes = new ResultsRoutes(results);
        FavoriteFeature favorites = new FavoriteFeature(database.jdbi(), bodies, clock);
        this.profile = new ProfileFeature(config, database.jdbi(), markets, clock, random, blobs);

        this.javalin = Javalin.create(javalinConfig -> {
            javalinConfig.jsonMapper(new JavalinJackson(mapper, false));
            http.apply(javalinConfig);
            javalinConfig.router.handlerWrapper(access::wrap);
            // Javalin tries a method's routes in registration order, one pattern after the other: the most read
            // ones first. No pattern of these shadows a route registered after them.
            system.register(javalinConfig.routes);
            marketRoutes.register(javalinConfig.routes);
            // Before the debate routes, so the literal /api/debate/audio/status is matched first.
            resultsRoutes.register(javalinConfig.routes);
            metrics.register(javalinConfig.routes);
            auth.register(javalinConfig.routes);
            admin.register(javalinConfig.routes);
            resolutions.register(javalinConfig.routes);
            modelRoutes.register(javalinConfig.routes);
            docs.register(javalinConfig.routes);
            debates.register(javalinConfig.routes);
            favorites.register(javalinConfig.routes);
            profile.register(javalinConfig.routes);
            scores.register(javalinConfig.routes);
        });
    }

    public static App create(Config config, Clock clock, SecureRandom random) {
        return create(config, clock, random, DebateHooks.NONE);
    }

    /** The application with hooks in the debate controls, for tests that interleave requests deterministically. */
    public static App create(Config config, Clock clock, SecureRandom random, DebateHooks debateHooks) {
        return new App(config, clock, random, debateHooks);
    }

    /**
     * Starts listening on the configured host and port (0 picks a free port), then waits for the database migrations
     * (under way since construction): Jetty starts meanwhile, and every request that reads the database, the health
     * probe included, waits for them. A failed migration closes the app and is rethrown.
     */
    public App start() {
        javalin.start(config.host(), config.port());
        http.limitSlowClients(javalin.jettyServer().server());
        try {
            database.awaitMigrated();
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        debates.resumeUnfinished();
        backups.start();
        resolutions.start();
        idleCollection.start();
        upstream.buildInBackground();
        return this;
    }

    public int port() {
        return javalin.port();
    }

    public Javalin javalin() {
        return javalin;
    }

    public Database database() {
        return database;
    }

    public TokenService tokens() {
        return tokens;
    }

    /** Purges the model-call traces older than TRACE_RETENTION_DAYS now (also done hourly in the background). */
    public int purgeExpiredTraces() {
        return debates.purgeExpiredTraces();
    }

    public Backups backups() {
        return backups;
    }

    public ResolutionFeature resolutions() {
        return resolutions;
    }

    @Override
    public void close() {
        idleCollection.close();
        javalin.stop();
        resolutions.close();
        debates.close();
        results.close();
        profile.close();
        markets.close();
        backups.close();
        database.close();
        metrics.close();
        blobs.close();
        http.close();
    }

    /**
     * Simulates a crash for restart tests: debate jobs and streams are abandoned mid-flight (nothing is finished
     * or flushed), the HTTP server stops and the database closes. The next start resumes the debates.
     */
    public void haltAbruptly() {
        idleCollection.close();
        debates.abandonRunningJobs();
        results.close();
        javalin.stop();
        resolutions.close();
        backups.close();
        database.close();
        metrics.close();
        http.close();
    }

    /** Upstream calls are labelled by the configured base URL they go to. */
    private static Map<URI, String> upstreamServices(Config config) {
        Map<URI, String> services = new LinkedHashMap<>();
        services.put(config.polymarketGammaUrl(), "gamma");
        services.put(config.polymarketClobUrl(), "clob");
        services.put(config.polymarketWebUrl(), "polymarket-web");
        services.put(config.openRouterApiUrl(), "openrouter");
        services.put(config.elevenLabsApiUrl(), "elevenlabs");
        services.put(config.geminiApiUrl(), "gemini");
        return services;
    }

    private static MetricsFeature.DebateCounts debateCounts(DebateFeature debates) {
        return new MetricsFeature.DebateCounts() {
            @Override
            public int runningJobs() {
                return debates.runningJobs();
            }

            @Override
            public int ownedJobs() {
                return debates.ownedJobs();
            }

            @Override
            public int liveViewers() {
                return debates.liveViewers();
            }

            @Override
            public long leaseTakeOvers() {
                return debates.leaseTakeOvers();
            }

            @Override
            public Map<String, Long> countByStatus() {
                return debates.countByStatus();
            }
        };
    }

    /**
     * Audio, avatars and backups in the S3 bucket when S3_BUCKET is set (checked now), otherwise under STORAGE_DIR;
     * also used by the restore command.
     */
    public static BlobStore blobStore(Config config) {
        return config.s3().<BlobStore>map(S3BlobStore::connect)
                .orElseGet(() -> new FileSystemBlobStore(config.storageDir()));
    }

    private static void createStorage(Config config) {
        try {
            Files.createDirectories(config.storageDir());
            if (config.s3().isEmpty()) {
                Files.createDirectories(config.audioDir());
                Files.createDirectories(config.avatarDir());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create storage directories under " + config.storageDir(), e);
        }
    }
}
