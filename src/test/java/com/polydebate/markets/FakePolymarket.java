package com.polydebate.markets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Polymarket's three upstreams as fakes (Gamma, the web API behind breaking markets, CLOB price history) and a
 * server pointed at them. CLOB answers the recorded price history; tests give Gamma and the web API their routes
 * before {@link #start()}, and may replace any route afterwards.
 */
final class FakePolymarket implements AutoCloseable {
    final FakeUpstream gamma = new FakeUpstream();
    final FakeUpstream web = new FakeUpstream();
    final FakeUpstream clob = new FakeUpstream();
    private TestServer server;

    FakePolymarket() {
        clob.on("GET", "/prices-history", call -> Reply.json(200, Fixtures.text("polymarket-clob/prices-history.json")));
    }

    /** Gamma answers the recorded binary event 2890 by id; the fixture holds it as the one item of a list answer. */
    void serveBinaryEvent() {
        try {
            String event = new ObjectMapper().readTree(Fixtures.text("polymarket-gamma/event-binary.json"))
                    .get(0).toString();
            gamma.on("GET", "/events/2890", call -> Reply.json(200, event));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TestServer start() {
        server = TestServer.builder()
                .env("POLYMARKET_GAMMA_URL", gamma.baseUrl())
                .env("POLYMARKET_WEB_URL", web.baseUrl())
                .env("POLYMARKET_CLOB_URL", clob.baseUrl())
                .start();
        return server;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        gamma.close();
        web.close();
        clob.close();
    }
}
