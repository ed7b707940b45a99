package com.polydebate.profile;

import com.polydebate.config.Config;
import com.polydebate.markets.MarketCatalog;
import com.polydebate.storage.BlobStore;
import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;

/**
 * The profile feature wired together: profile and avatar endpoints, the debate history, and the pool that looks up
 * the markets of saved items. The composition root closes it on stop.
 */
public final class ProfileFeature implements AutoCloseable {
    private static final int MARKET_LOOKUP_THREADS = 8;

    private final ThreadPoolExecutor marketLookups;
    private final ProfileRoutes routes;

    public ProfileFeature(Config config, Jdbi jdbi, MarketCatalog markets, Clock clock, SecureRandom random,
                          BlobStore blobs) {
        Path spoolDir = config.storageDir().resolve("upload-tmp");
        try {
            Files.createDirectories(spoolDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the upload spool directory " + spoolDir, e);
        }
        this.marketLookups = lookupPool();
        AvatarStore avatars = new AvatarStore(blobs, random);
        ProfileService profiles = new ProfileService(jdbi, avatars, markets, marketLookups, clock);
        this.routes = new ProfileRoutes(profiles, blobs, spoolDir);
    }

    public void register(RoutesConfig routesConfig) {
        routes.register(routesConfig);
    }

    @Override
    public void close() {
        marketLookups.shutdownNow();
    }

    /** Market lookups for saved items run in parallel; idle threads time out, so a quiet server holds none. */
    private static ThreadPoolExecutor lookupPool() {
        AtomicInteger counter = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(MARKET_LOOKUP_THREADS, MARKET_LOOKUP_THREADS,
                30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "saved-market-lookup-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
