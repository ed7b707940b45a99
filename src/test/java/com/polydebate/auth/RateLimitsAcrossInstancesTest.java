package com.polydebate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.polydebate.support.MutableClock;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sign-in limits with two instances on one database (the SQLite file, and the PostgreSQL schema in its run):
 * requests alternated between the instances meet the limit at the same count as requests to one instance, because
 * every count lives in the database. Each test compares one lone instance (its own database) with a pair sharing
 * another, so that keys counted by every request (the global admin failures) cannot leak between the two.
 */
class RateLimitsAcrossInstancesTest {
    private static final String ADMIN_PASSWORD = "correct-horse-battery-staple";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static MailCatcher mail;

    private final List<TestServer> servers = new CopyOnWriteArrayList<>();
    private final MutableClock clock = MutableClock.at("2026-11-28T12:00:00Z");

    @BeforeAll
    static void startMail() {
        mail = new MailCatcher();
    }

    @AfterAll
    static void stopMail() {
        mail.close();
    }

    @AfterEach
    void stop() {
        servers.forEach(TestServer::close);
    }

    /** An instance mailing codes to the catcher behind a trusted proxy, so each test picks its clients' IPs. */
    private TestServer start(String instanceId, TestServer sharing, String... settings) {
        TestServer.Builder builder = TestServer.builder().clock(clock).env("INSTANCE_ID", instanceId)
                .env("EMAIL_SERVICE", "smtp")
                .env("SMTP_HOST", "127.0.0.1")
                .env("SMTP_PORT", Integer.toString(mail.port()))
                .env("SMTP_USE_TLS", "false")
                .env("EMAIL_FALLBACK_TO_CONSOLE", "false")
                .env("ADMIN_PASSWORD", ADMIN_PASSWORD)
                .env("TRUSTED_PROXIES", "127.0.0.1");
        for (int i = 0; i + 1 < settings.length; i += 2) {
            builder.env(settings[i], settings[i + 1]);
        }
        TestServer server = (sharing == null ? builder : builder.storage(sharing.storage())).start();
        servers.add(server);
        return server;
    }

    /** One instance alone, and a pair of instances on one database of their own. */
    private record Setup(List<TestServer> alone, List<TestServer> pair) {
    }

    private Setup setup(String... settings) {
        TestServer alone = start("alone", null, settings);
        TestServer a = start("instance-a", null, settings);
        TestServer b = start("instance-b", a, settings);
        return new Setup(List.of(alone), List.of(a, b));
    }

    private static String newEmail() {
        return "limited" + SEQUENCE.incrementAndGet() + "@example.com";
    }

    private static String[] from(String ip) {
        return new String[] {"X-Forwarded-For", ip};
    }

    private static TestResponse requestSignup(TestServer server, String email, String ip) {
        return server.http().post("/api/auth/signup/request-code",
                "{\"email\":\"" + email + "\",\"name\":\"Mallory\"}", from(ip));
    }

    private static TestResponse verifySignup(TestServer server, String email, String code, String ip) {
        return server.http().post("/api/auth/signup/verify-code",
                "{\"email\":\"" + email + "\",\"code\":\"" + code + "\"}", from(ip));
    }

    private static TestResponse adminLogin(TestServer server, String email, String password, String ip) {
        return server.http().post("/api/admin/login",
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", from(ip));
    }

    /**
     * Sends requests round-robin over {@code servers} ({@code request} gets the server and the attempt number)
     * until one answers 429; answers how many were let through before it. Every instance refuses the next one too.
     */
    private static int passedBeforeLimit(List<TestServer> servers, int expectedStatus,
                                         BiFunction<TestServer, Integer, TestResponse> request) {
        for (int attempt = 0; attempt < 100; attempt++) {
            TestResponse response = request.apply(servers.get(attempt % servers.size()), attempt);
            if (response.status() == 429) {
                assertThat(response.errorCode()).isIn("rate_limit_exceeded", "too_many_attempts");
                for (int i = 0; i < servers.size(); i++) {
                    assertThat(request.apply(servers.get(i), attempt + 1 + i).status())
                            .as("instance %d after the limit", i).isEqualTo(429);
                }
                return attempt;
            }
            assertThat(response.status()).as(response.body()).isEqualTo(expectedStatus);
        }
        throw new AssertionError("no limit within 100 requests");
    }

    @Test
    void code_requests_for_one_email_alternated_between_instances_stop_at_the_same_count_as_on_one() {
        Setup setup = setup("MAX_CODE_REQUESTS_PER_HOUR", "5", "MAX_CODE_REQUESTS_PER_IP_PER_HOUR", "1000");
        String aloneEmail = newEmail();
        String pairEmail = newEmail();

        int alone = passedBeforeLimit(setup.alone(), 200,
                (server, i) -> requestSignup(server, aloneEmail, "198.51.100." + (i + 1)));
        int pair = passedBeforeLimit(setup.pair(), 200,
                (server, i) -> requestSignup(server, pairEmail, "198.51.100." + (i + 1)));

        assertThat(alone).isEqualTo(5);
        assertThat(pair).isEqualTo(alone);
        assertThat(mail.messagesFor(pairEmail)).hasSize(5);
    }

    @Test
    void code_requests_from_one_ip_alternated_between_instances_stop_at_the_same_count_as_on_one() {
        Setup setup = setup("MAX_CODE_REQUESTS_PER_IP_PER_HOUR", "7");

        int alone = passedBeforeLimit(setup.alone(), 200,
                (server, i) -> requestSignup(server, newEmail(), "203.0.113.7"));
        int pair = passedBeforeLimit(setup.pair(), 200,
                (server, i) -> requestSignup(server, newEmail(), "203.0.113.7"));

        assertThat(alone).isEqualTo(7);
        assertThat(pair).isEqualTo(alone);
    }

    @Test
    void a_burst_of_code_requests_for_one_email_split_over_both_instances_passes_exactly_the_limit()
            throws Exception {
        TestServer a = start("instance-a", null, "MAX_CODE_REQUESTS_PER_HOUR", "5");
        TestServer b = start("instance-b", a, "MAX_CODE_REQUESTS_PER_HOUR", "5");
        String email = newEmail();
        ExecutorService callers = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<TestResponse>> responses = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                TestServer target = i % 2 == 0 ? a : b;
                String ip = "198.51.100." + (i + 1);
                Callable<TestResponse> call = () -> {
                    go.await();
                    return requestSignup(target, email, ip);
                };
                responses.add(callers.submit(call));
            }
            go.countDown();
            int passed = 0;
            for (Future<TestResponse> response : responses) {
                int status = response.get().status();
                assertThat(status).isIn(200, 429);
                passed += status == 200 ? 1 : 0;
            }

            assertThat(passed).isEqualTo(5);
            assertThat(mail.messagesFor(email)).hasSize(5);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void wrong_guesses_at_a_code_alternated_between_instances_kill_it_at_the_same_count_as_on_one() {
        Setup setup = setup();
        List<Integer> counts = new ArrayList<>();
        for (List<TestServer> instances : List.of(setup.alone(), setup.pair())) {
            String email = newEmail();
            assertThat(requestSignup(instances.get(0), email, "192.0.2.1").status()).isEqualTo(200);
            String code = mail.lastCodeFor(email);
            String wrong = code.equals("000000") ? "111111" : "000000";

            counts.add(passedBeforeLimit(instances, 400,
                    (server, i) -> verifySignup(server, email, wrong, "192.0.2." + (i + 2))));

            assertThat(verifySignup(instances.get(instances.size() - 1), email, code, "192.0.2.99").errorCode())
                    .as("the code is dead on every instance").isEqualTo("too_many_attempts");
        }

        assertThat(counts.get(0)).isEqualTo(5);
        assertThat(counts.get(1)).isEqualTo(counts.get(0));
    }

    @Test
    void admin_login_failures_from_one_ip_alternated_between_instances_lock_it_at_the_same_count_as_on_one() {
        Setup setup = setup();

        int alone = passedBeforeLimit(setup.alone(), 401,
                (server, i) -> adminLogin(server, newEmail(), "guess-" + i, "198.51.100.66"));
        int pair = passedBeforeLimit(setup.pair(), 401,
                (server, i) -> adminLogin(server, newEmail(), "guess-" + i, "198.51.100.66"));

        assertThat(alone).isEqualTo(5);
        assertThat(pair).isEqualTo(alone);
        assertThat(adminLogin(setup.pair().get(1), "admin@example.com", ADMIN_PASSWORD, "198.51.100.66").status())
                .as("the locked IP is refused even the right password").isEqualTo(429);
    }

    @Test
    void admin_login_failures_from_many_ips_alternated_between_instances_lock_everyone_at_the_same_count_as_on_one() {
        Setup setup = setup("ADMIN_LOGIN_MAX_FAILURES", "6");

        int alone = passedBeforeLimit(setup.alone(), 401,
                (server, i) -> adminLogin(server, newEmail(), "guess", "198.51.100." + (i + 1)));
        int pair = passedBeforeLimit(setup.pair(), 401,
                (server, i) -> adminLogin(server, newEmail(), "guess", "198.51.100." + (i + 1)));

        assertThat(alone).isEqualTo(6);
        assertThat(pair).isEqualTo(alone);
        for (TestServer server : setup.pair()) {
            assertThat(adminLogin(server, "admin@example.com", ADMIN_PASSWORD, "192.0.2.200").status())
                    .as("a fresh address on either instance").isEqualTo(429);
        }
    }
}
