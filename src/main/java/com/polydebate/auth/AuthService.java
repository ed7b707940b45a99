package com.polydebate.auth;

import com.polydebate.auth.CodeMailer.CodeMail;
import com.polydebate.auth.CodeMailer.MailDeliveryException;
import com.polydebate.config.Config;
import com.polydebate.db.Timestamps;
import com.polydebate.http.ApiException;
import com.polydebate.results.DebateCatalog;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Passwordless sign-up and log-in (§14.1–14.4) and the profile basics of §14.5–14.6. */
final class AuthService {
    private static final Logger log = LoggerFactory.getLogger(AuthService.class);
    static final int MIN_NAME = 2;
    static final int MAX_NAME = 255;

    private final Jdbi jdbi;
    private final DebateCatalog debates;
    private final TokenService tokens;
    private final CodeMailer mailer;
    private final AuthLimits limits;
    private final CodeGenerator generator;
    private final CodeHasher hasher;
    private final Clock clock;
    private final int maxGuessesPerCode;
    private final int expiryMinutes;
    private final boolean fallbackToConsole;

    AuthService(Config config, Jdbi jdbi, TokenService tokens, CodeMailer mailer, RateLimitStore store,
                Clock clock, SecureRandom random) {
        this.jdbi = jdbi;
        this.debates = new DebateCatalog(jdbi);
        this.tokens = tokens;
        this.mailer = mailer;
        this.clock = clock;
        this.limits = new AuthLimits(store, clock, config.maxCodeRequestsPerHour(),
                config.maxCodeRequestsPerIpPerHour());
        this.maxGuessesPerCode = config.maxVerificationAttempts();
        this.generator = new CodeGenerator(random, config.codeLength(), config.codeType());
        this.hasher = new CodeHasher(config.jwtSecretKey());
        this.expiryMinutes = config.codeExpirationMinutes();
        this.fallbackToConsole = config.emailFallbackToConsole();
    }

    /** A user and a fresh session token. */
    record Session(UserView user, String token) {
    }

    int expiryMinutes() {
        return expiryMinutes;
    }

    void requestSignupCode(Optional<String> rawEmail, Optional<String> rawName, String ip) {
        Map<String, String> problems = new LinkedHashMap<>();
        Optional<String> email = EmailAddresses.check(rawEmail, problems);
        Optional<String> name = checkName(rawName, problems);
        if (!problems.isEmpty()) {
            throw ApiException.invalidForm(problems);
        }
        if (users().findByEmail(email.get()).isPresent()) {
            throw emailExists();
        }
        issue(CodePurpose.SIGNUP, email.get(), null, name.get(), ip);
    }

    void requestLoginCode(Optional<String> rawEmail, String ip) {
        Map<String, String> problems = new LinkedHashMap<>();
        String email = EmailAddresses.check(rawEmail, problems).orElseThrow(() -> ApiException.invalidForm(problems));
        User user = users().findByEmail(email).orElseThrow(() -> ApiException.badRequest("user_not_found",
                "There is no account for this email address"));
        if (!user.isActive()) {
            throw accountInactive();
        }
        issue(CodePurpose.LOGIN, email, user.id(), user.name(), ip);
    }

    Session verifySignup(Optional<String> rawEmail, Optional<String> rawCode) {
        Attempt attempt = checkVerification(rawEmail, rawCode);
        String email = attempt.email();
        VerificationCode guessed = countGuess(CodePurpose.SIGNUP, email);
        Session session = jdbi.inTransaction(h -> {
            UserDao users = h.attach(UserDao.class);
            if (users.findByEmail(email).isPresent()) {
                throw emailExists();
            }
            VerificationCode matched = consume(h, CodePurpose.SIGNUP, guessed, attempt.code());
            String now = Timestamps.format(clock.instant());
            String name = matched.name().orElseThrow(
                    () -> new IllegalStateException("Sign-up code " + matched.id() + " has no name"));
            long id = users.insert(email, name, now, now, false);
            User user = users.findById(id).orElseThrow();
            return new Session(UserView.of(user, 0), tokens.issue(user));
        });
        log.info("New account {} created", email);
        return session;
    }

    Session verifyLogin(Optional<String> rawEmail, Optional<String> rawCode) {
        Attempt attempt = checkVerification(rawEmail, rawCode);
        String email = attempt.email();
        checkCanLogIn(users().findByEmail(email));
        VerificationCode guessed = countGuess(CodePurpose.LOGIN, email);
        User user = jdbi.inTransaction(h -> {
            UserDao users = h.attach(UserDao.class);
            long id = checkCanLogIn(users.findByEmail(email)).id();
            consume(h, CodePurpose.LOGIN, guessed, attempt.code());
            users.updateLastLogin(id, Timestamps.format(clock.instant()));
            return users.findById(id).orElseThrow();
        });
        return new Session(UserView.of(user, debates.countOf(user.id())), tokens.issue(user));
    }

    /** Signs the token out: it is refused from now on, on every instance, until it would have expired anyway. */
    void logout(TokenService.Claims claims) {
        String now = Timestamps.format(clock.instant());
        jdbi.useTransaction(h -> {
            RevokedTokenDao revoked = h.attach(RevokedTokenDao.class);
            revoked.deleteExpired(now);
            revoked.revoke(claims.jti(), claims.userId(), Timestamps.format(claims.expiresAt()));
        });
    }

    UserView view(User user) {
        return UserView.of(user, debates.countOf(user.id()));
    }

    /** Persists a new name when one is given (§14.6); other fields are ignored. */
    UserView updateProfile(User user, Optional<String> rawName) {
        if (rawName.isPresent()) {
            Map<String, String> problems = new LinkedHashMap<>();
            String name = checkName(rawName, problems).orElseThrow(() -> ApiException.invalidForm(problems));
            users().updateName(user.id(), name);
        }
        return view(users().findById(user.id()).orElseThrow());
    }

    private void issue(CodePurpose purpose, String email, Long userId, String name, String ip) {
        AuthLimits.Reservation reservation = limits.reserveCodeRequest(email, ip);
        String code = generator.next();
        Instant now = clock.instant();
        String stamp = Timestamps.format(now);
        long codeId = jdbi.inTransaction(h -> {
            VerificationCodeDao codes = h.attach(VerificationCodeDao.class);
            codes.invalidateUnused(email, purpose.dbValue(), stamp);
            return codes.insert(userId, email, purpose == CodePurpose.SIGNUP ? name : null,
                    hasher.hash(purpose, email, code), purpose.dbValue(),
                    Timestamps.format(now.plusSeconds(60L * expiryMinutes)), stamp, ip);
        });
        CodeMail.Kind kind = purpose == CodePurpose.SIGNUP ? CodeMail.Kind.SIGNUP : CodeMail.Kind.LOGIN;
        try {
            mailer.send(new CodeMail(kind, email, name, code, expiryMinutes));
        } catch (MailDeliveryException e) {
            if (!fallbackToConsole) {
                jdbi.onDemand(VerificationCodeDao.class).markUsed(codeId, Timestamps.format(clock.instant()));
                reservation.release();
                log.error("{}; the code was invalidated (EMAIL_FALLBACK_TO_CONSOLE=false)", e.getMessage());
                throw new ApiException(500, "email_send_failed",
                        "We could not send the verification email; please try again later");
            }
            log.warn("{}; console fallback: {} code for {} is {}", e.getMessage(), purpose.dbValue(), email, code);
        }
    }

    /**
     * Counts a guess at the e-mail's current code before it is compared, in its own statement so that a wrong
     * guess stays counted. A code that has had {@code MAX_VERIFICATION_ATTEMPTS} guesses, from whichever IPs,
     * is dead: 429 until a new code is requested.
     */
    private VerificationCode countGuess(CodePurpose purpose, String email) {
        VerificationCodeDao codes = jdbi.onDemand(VerificationCodeDao.class);
        VerificationCode current = codes.newestUnused(email, purpose.dbValue()).orElseThrow(AuthService::invalidCode);
        if (!codes.claimAttempt(current.id(), maxGuessesPerCode)) {
            if (current.attempts() >= maxGuessesPerCode
                    || codes.newestUnused(email, purpose.dbValue()).filter(c -> c.id() == current.id()).isPresent()) {
                throw new ApiException(429, "too_many_attempts", "Too many wrong codes; request a new code",
                        Map.of(), Map.of("remaining", 0), Map.of());
            }
            throw invalidCode();
        }
        return current;
    }

    /** Checks the guessed code against the counted one, then its expiry, and marks it used. */
    private VerificationCode consume(Handle h, CodePurpose purpose, VerificationCode current, String code) {
        if (!hasher.matches(current.codeHash(), purpose, current.email(), code)) {
            throw invalidCode();
        }
        Instant now = clock.instant();
        if (!now.isBefore(current.expiresAt())) {
            throw ApiException.badRequest("code_expired", "That code has expired; request a new one");
        }
        if (!h.attach(VerificationCodeDao.class).markUsed(current.id(), Timestamps.format(now))) {
            throw invalidCode();
        }
        return current;
    }

    private record Attempt(String email, String code) {
    }

    private Attempt checkVerification(Optional<String> rawEmail, Optional<String> rawCode) {
        Map<String, String> problems = new LinkedHashMap<>();
        Optional<String> email = EmailAddresses.check(rawEmail, problems);
        Optional<String> code = rawCode.map(String::trim).filter(c -> !c.isEmpty());
        if (code.isEmpty()) {
            problems.put("code", "Enter the verification code");
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalidForm(problems);
        }
        return new Attempt(email.get(), generator.canonical(code.get()));
    }

    private static Optional<String> checkName(Optional<String> raw, Map<String, String> problems) {
        String name = raw.map(String::trim).orElse("");
        if (raw.isEmpty()) {
            problems.put("name", "Name is required");
        } else if (name.length() < MIN_NAME) {
            problems.put("name", "Name needs at least " + MIN_NAME + " characters");
        } else if (name.length() > MAX_NAME) {
            problems.put("name", "Name can have at most " + MAX_NAME + " characters");
        } else {
            return Optional.of(name);
        }
        return Optional.empty();
    }

    private UserDao users() {
        return jdbi.onDemand(UserDao.class);
    }

    private static User checkCanLogIn(Optional<User> user) {
        if (user.isEmpty()) {
            throw ApiException.badRequest("invalid_credentials", "Email or code is not valid");
        }
        if (!user.get().isActive()) {
            throw accountInactive();
        }
        return user.get();
    }

    private static ApiException invalidCode() {
        return ApiException.badRequest("invalid_code", "That code is not valid");
    }

    private static ApiException emailExists() {
        return ApiException.badRequest("email_exists", "An account with this email already exists");
    }

    private static ApiException accountInactive() {
        return new ApiException(403, "account_inactive", "This account has been deactivated");
    }
}
