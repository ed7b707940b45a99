package com.polydebate.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Every setting of the contract's §20, read once at start-up. Secrets are Optional: absent means "feature off". */
public record Config(
        int port,
        String host,
        AppEnv appEnv,
        String appName,
        String supportEmail,
        Path storageDir,
        String databaseUrl,
        List<String> frontendUrls,
        Optional<String> openRouterApiKey,
        URI openRouterApiUrl,
        List<String> allowedModels,
        double modelsMaxPricePerMillion,
        int maxModelsPerDebate,
        int maxRounds,
        int modelTimeoutSeconds,
        int dailyDebateLimit,
        int debateWorkers,
        Optional<String> elevenLabsApiKey,
        URI elevenLabsApiUrl,
        String elevenLabsModelId,
        List<String> elevenLabsVoiceIds,
        Optional<String> geminiApiKey,
        String geminiModel,
        URI geminiApiUrl,
        int geminiTimeoutSeconds,
        URI polymarketGammaUrl,
        URI polymarketWebUrl,
        URI polymarketClobUrl,
        UpstreamTimeouts upstreamTimeouts,
        int cacheMarketsTtl,
        int cacheMarketDetailsTtl,
        int cacheCategoriesTtl,
        int cacheModelsTtl,
        String jwtSecretKey,
        boolean jwtSecretGenerated,
        int jwtExpirationMinutes,
        Optional<String> adminPassword,
        int codeLength,
        CodeType codeType,
        int codeExpirationMinutes,
        int maxCodeRequestsPerHour,
        int maxVerificationAttempts,
        EmailService emailService,
        Optional<String> gmailUser,
        Optional<String> gmailAppPassword,
        String smtpHost,
        int smtpPort,
        Optional<String> smtpUsername,
        Optional<String> smtpPassword,
        boolean smtpUseTls,
        String emailFromAddress,
        String emailFromName,
        boolean emailFallbackToConsole,
        String logLevel,
        List<IpRange> trustedProxies,
        int trustedProxyHops,
        int maxCodeRequestsPerIpPerHour,
        int adminLoginMaxFailures,
        int httpIdleTimeoutSeconds,
        int httpHeaderTimeoutSeconds,
        String instanceId,
        int debateLeaseSeconds,
        Optional<String> metricsToken,
        Optional<S3Settings> s3,
        BackupSettings backups,
        int dbPoolSize,
        boolean independentFirstRound,
        int modelCallConcurrency,
        int modelIdleTimeoutSeconds,
        int traceRetentionDays,
        int httpMaxThreads,
        int idleGcSeconds,
        ResolutionSettings resolutions) {

    public enum AppEnv { DEVELOPMENT, PRODUCTION }

    public enum CodeType { NUMERIC, ALPHANUMERIC }

    public enum EmailService { CONSOLE, GMAIL, SMTP }

    public boolean isProduction() {
        return appEnv == AppEnv.PRODUCTION;
    }

    /** The frontend URL sent as OpenRouter's HTTP-Referer: the first configured origin. */
    public String primaryFrontendUrl() {
        return frontendUrls.get(0);
    }

    public Path audioDir() {
        return storageDir.resolve("audio");
    }

    public Path avatarDir() {
        return storageDir.resolve("avatars");
    }
}
