package com.polydebate.http;

import com.polydebate.config.Config;
import com.polydebate.config.IpRange;
import io.javalin.config.Key;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The client address used in rate-limit keys. Forwarding headers are written by whoever sends the request,
 * so they count only behind proxies the operator named: {@code TRUSTED_PROXY_HOPS=N} takes the N-th
 * {@code X-Forwarded-For} entry from the right (each proxy appends the address it saw), and
 * {@code TRUSTED_PROXIES} walks the entries from the right past every trusted proxy to the first
 * untrusted hop. With neither, or when the socket peer is not trusted, the socket address is the client.
 */
public final class ClientIp {
    static final Key<ClientIp> KEY = new Key<>("client-ip");
    private static final int MAX_LENGTH = 64;

    private final List<IpRange> trustedProxies;
    private final int trustedHops;

    ClientIp(Config config) {
        this(config.trustedProxies(), config.trustedProxyHops());
    }

    ClientIp(List<IpRange> trustedProxies, int trustedHops) {
        this.trustedProxies = trustedProxies;
        this.trustedHops = trustedHops;
    }

    /**
     * The client address of this request, resolved when a route asks for it (only the rate-limited ones do) with
     * the resolver {@link HttpSetup} registered, rather than on every request.
     */
    public static String of(Context ctx) {
        return ctx.appData(KEY).resolve(ctx.header("X-Forwarded-For"), ctx.header("X-Real-IP"),
                ctx.req().getRemoteAddr());
    }

    String resolve(String forwardedFor, String realIp, String peer) {
        List<String> hops = forwardedFor == null ? List.of() : Arrays.stream(forwardedFor.split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (trustedHops > 0) {
            if (hops.isEmpty()) {
                return peer;
            }
            return bounded(hops.get(Math.max(0, hops.size() - trustedHops)));
        }
        if (!isTrusted(peer)) {
            return peer;
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            if (!isTrusted(hops.get(i))) {
                return bounded(hops.get(i));
            }
        }
        if (!hops.isEmpty()) {
            return bounded(hops.get(0));
        }
        return realIp != null && !realIp.isBlank() ? bounded(realIp.strip()) : peer;
    }

    private boolean isTrusted(String address) {
        if (trustedProxies.isEmpty()) {
            return false;
        }
        Optional<InetAddress> parsed = IpRange.literal(address);
        return parsed.isPresent() && trustedProxies.stream().anyMatch(range -> range.contains(parsed.get()));
    }

    /** A forged entry can be any text: keep the key short so it cannot bloat the limit tables. */
    private static String bounded(String address) {
        return address.length() > MAX_LENGTH ? address.substring(0, MAX_LENGTH) : address;
    }
}
