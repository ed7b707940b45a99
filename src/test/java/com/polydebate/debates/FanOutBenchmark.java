package com.polydebate.debates;

import static com.polydebate.debates.BenchmarkSupport.classPath;
import static com.polydebate.debates.BenchmarkSupport.loadAverage;
import static com.polydebate.debates.BenchmarkSupport.percentile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Call;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: issue 16 §3 and issue 15's delta latency, with N SSE viewers (default 1,000) of one debate on
 * loopback. A 2 models × 2 rounds debate (rounds in turn) whose model calls stream the argument in 8-character
 * chunks {@code gap} ms apart (default 30); the first call holds until every viewer is connected. The viewers run in a
 * child JVM on <em>one</em> selector thread (raw HTTP/1.1, chunked decoding, SSE parsing), so the client costs little
 * CPU and the figures are the server's: per event type, the spread between the first and the last viewer reading
 * the same live event; for deltas, the time from the fake OpenRouter flushing a chunk to each viewer reading the
 * delta that carries its text (both JVMs read CLOCK_MONOTONIC); server memory per 1,000 connected viewers (RSS, and
 * heap + direct buffers after a GC) right after they connected and 15 s later, with {@code VM.native_memory}'s
 * difference when the JVM tracks native memory. The server runs in this JVM: start it with the launcher's options
 * ({@code MAVEN_OPTS="$(bin/polydebate --print-java-options)" MALLOC_ARENA_MAX=2}) to measure the deployment's
 * memory; {@code -Dbench.env=NAME=value,...} sets server settings.
 * Run: mvn -q -o test-compile exec:java -Dexec.classpathScope=test
 *          -Dexec.mainClass=com.polydebate.debates.FanOutBenchmark [-Dexec.args="1000 30"]
 */
public final class FanOutBenchmark {
    private static final String ARGUMENT = "Fan-out close to the wire means every viewer reads the same bytes at "
            + "nearly the same moment, while a slow one is left behind on its own; the odds near 39.78% suggest the "
            + "market already prices most of the known news, and the rest follows in the next round here.";
    private static final String MODEL_KEY = "\"model_id\":\"";
    private static final String ROUND_KEY = "\"round\":";
    private static final String OFFSET_KEY = "\"offset\":";
    private static final String DELTA_KEY = "\"delta\":\"";

    private FanOutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("sun.net.httpserver.nodelay", "true");
        if (args.length == 3 && args[0].equals("viewers")) {
            viewers(args[1], Integer.parseInt(args[2]));
            System.exit(0);
        }
        int viewers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        long gap = args.length > 1 ? Long.parseLong(args[1]) : 30;
        run(viewers, gap);
        System.exit(0);
    }

    private static String answer(Call call) {
        ObjectNode answer = DebateHarness.MAPPER.createObjectNode();
        answer.put("argument", ARGUMENT);
        ObjectNode predictions = answer.putObject("predictions");
        List<String> names = DebateHarness.outcomeNames(call);
        for (int i = 0; i < names.size(); i++) {
            predictions.put(names.get(i), i == 0 ? 60 : 40);
        }
        return answer.toString();
    }

    private static void run(int viewerCount, long gapMillis) throws Exception {
        System.out.println("load average before: " + loadAverage());
        try (DebateHarness fakes = new DebateHarness()) {
            CountDownLatch viewersReady = new CountDownLatch(1);
            // "model round" -> sentAt[k]: when the chunk that brought the argument to length k left the fake.
            Map<String, long[]> sent = new ConcurrentHashMap<>();
            fakes.chat = call -> {
                try {
                    viewersReady.await(300, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                long[] sentAt = sent.computeIfAbsent(DebateHarness.model(call) + " " + DebateHarness.round(call),
                        k -> new long[ARGUMENT.length() + 1]);
                List<FakeUpstream.Reply.Chunk> chunks = new ArrayList<>();
                ArgumentStream argument = new ArgumentStream();
                for (String event : DebateHarness.streamEvents(call, answer(call), 8)) {
                    int length = StreamingBenchmark.lengthAfter(event, new StringBuilder(), argument);
                    chunks.add(new FakeUpstream.Reply.Chunk(event.getBytes(StandardCharsets.UTF_8), false, at -> {
                        if (length > 0 && sentAt[length] == 0) {
                            sentAt[length] = at;
                        }
                    }));
                }
                return Reply.stream(chunks, Duration.ofMillis(gapMillis));
            };
            fakes.speech = call -> Reply.bytes(200, "audio/mpeg", DebateHarness.mp3(40)).delayed(Duration.ofMillis(50));
            TestServer.Builder builder = fakes.server().env("MODEL_TIMEOUT_SECONDS", "300");
            for (String setting : System.getProperty("bench.env", "").split(",")) {
                if (setting.contains("=")) {
                    builder.env(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
                }
            }
            try (TestServer server = builder.start()) {
                TestUser owner = server.createUser("bench@example.com");
                String id = DebateHarness.debateId(server.http().post("/api/debate/start",
                        DebateHarness.startBody(DebateHarness.BINARY_MARKET, 2, false, DebateHarness.MODEL_A,
                                DebateHarness.MODEL_B), owner.auth()));
                Memory before = Memory.now();
                nativeMemory("baseline");
                Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m", "-cp", classPath(), FanOutBenchmark.class.getName(), "viewers",
                        server.baseUrl() + "/api/debate/" + id + "/stream", String.valueOf(viewerCount))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                BufferedReader childOut = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8));
                String line = childOut.readLine();
                if (line == null || !line.startsWith("connected")) {
                    throw new IllegalStateException("viewer process: " + line);
                }
                System.out.println(line);
                Memory connected = Memory.now();
                String nativeDiff = nativeMemory("summary.diff");
                // Right after the crowd, RSS also holds what the JIT is compiling at that moment (its arenas are freed
                // and trimmed within seconds); 15 s later only what the viewers and the started threads keep (those
                // end 30 s after their last request).
                Thread.sleep(15_000);
                Memory settled = Memory.now();
                long replayedUpTo = server.jdbi().withHandle(h -> h.createQuery(
                        "SELECT last_event_seq FROM debates WHERE debate_id = :id").bind("id", id)
                        .mapTo(Long.class).one());
                child.getOutputStream().write((replayedUpTo + "\n").getBytes(StandardCharsets.UTF_8));
                child.getOutputStream().flush();
                String loadAtStart = loadAverage();
                long writerCpuBefore = writerCpuNanos();
                long processCpuBefore = processCpuNanos();
                viewersReady.countDown();
                List<Long> latencies = new ArrayList<>();
                long frames = 0;
                while ((line = childOut.readLine()) != null) {
                    if (line.startsWith("frames ")) {
                        frames = Long.parseLong(line.substring(7));
                    } else if (line.startsWith("D ")) {
                        // D model round from to readAt: every chunk that brought the text into (from, to].
                        String[] f = line.split(" ");
                        long[] sentAt = sent.get(f[1] + " " + f[2]);
                        int from = Integer.parseInt(f[3]);
                        int to = Math.min(Integer.parseInt(f[4]), ARGUMENT.length());
                        long readAt = Long.parseLong(f[5]);
                        for (int k = from + 1; sentAt != null && k <= to; k++) {
                            if (sentAt[k] != 0) {
                                latencies.add(readAt - sentAt[k]);
                            }
                        }
                    } else {
                        System.out.println(line);
                    }
                }
                child.waitFor(60, TimeUnit.SECONDS);
                long writerCpu = writerCpuNanos() - writerCpuBefore;
                long processCpu = processCpuNanos() - processCpuBefore;
                Collections.sort(latencies);
                if (!latencies.isEmpty()) {
                    System.out.printf(Locale.ROOT, "delta latency, chunk left the fake -> delta read by a viewer "
                                    + "(chunks %d ms apart): p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d chunk arrivals)%n",
                            gapMillis, percentile(latencies, 50) / 1e6, percentile(latencies, 99) / 1e6,
                            latencies.get(latencies.size() - 1) / 1e6, latencies.size());
                }
                System.out.printf(Locale.ROOT, "server CPU from the first model call to the end: %.0f ms in all, "
                                + "%.0f ms on the stream writer threads (debate-stream*) for %d frames read by the "
                                + "viewers: %.1f us per frame and viewer%n", processCpu / 1e6, writerCpu / 1e6, frames,
                        frames == 0 ? 0 : writerCpu / 1e3 / frames);
                double per1000 = 1000.0 / viewerCount;
                System.out.printf(Locale.ROOT, "server memory with %d viewers connected: RSS %d -> %d MiB (%+.1f MiB "
                                + "per 1,000 viewers); heap used after GC + direct buffers %.1f -> %.1f MiB "
                                + "(%+.1f MiB per 1,000 viewers)%n", viewerCount, before.rssKb / 1024,
                        connected.rssKb / 1024, (connected.rssKb - before.rssKb) / 1024.0 * per1000,
                        before.heapAndDirect / 1048576.0, connected.heapAndDirect / 1048576.0,
                        (connected.heapAndDirect - before.heapAndDirect) / 1048576.0 * per1000);
                System.out.printf(Locale.ROOT, "15 s later: RSS %d MiB (%+.1f MiB per 1,000 viewers), heap used after GC "
                                + "+ direct buffers %+.1f MiB per 1,000 viewers%n", settled.rssKb / 1024,
                        (settled.rssKb - before.rssKb) / 1024.0 * per1000,
                        (settled.heapAndDirect - before.heapAndDirect) / 1048576.0 * per1000);
                // Request threads started for the connection storm hold touched stacks (RSS) until they idle out.
                System.out.printf(Locale.ROOT, "server threads %d -> %d (15 s later %d)%n", before.threads,
                        connected.threads, settled.threads);
                if (!nativeDiff.isEmpty()) {
                    System.out.println("native memory, connected vs before (NMT):\n" + nativeDiff);
                }
                System.out.println("load average at the start of the live run: " + loadAtStart);
                System.out.println("load average after: " + loadAverage());
            }
        }
    }

    /** CPU time of the threads that write to viewers (before: debate-stream-N; after: debate-stream-lane/close). */
    private static long writerCpuNanos() {
        var threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("debate-stream")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * A {@code VM.native_memory} command when the JVM runs with {@code -XX:NativeMemoryTracking} (e.g. in
     * MAVEN_OPTS), to tell what the viewers' RSS consists of; empty otherwise.
     */
    private static String nativeMemory(String command) throws Exception {
        var diagnostics = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        if (diagnostics.getVMOption("NativeMemoryTracking").getValue().equals("off")) {
            return "";
        }
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                new Object[] {new String[] {command}}, new String[] {String[].class.getName()});
    }

    private record Memory(long rssKb, long heapAndDirect, int threads) {
        static Memory now() throws Exception {
            System.gc();
            Thread.sleep(500);
            System.gc();
            Thread.sleep(500);
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                    .mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
            long rss = -1;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return new Memory(rss, heap + direct, ManagementFactory.getThreadMXBean().getThreadCount());
        }
    }

    /** One viewer connection of the child: HTTP response head, chunked body, SSE lines. */
    private static final class Viewer {
        final SocketChannel channel;
        final StringBuilder head = new StringBuilder();
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        final StringBuilder sizeLine = new StringBuilder();
        final StringBuilder sequence = new StringBuilder();
        boolean headDone;
        int status;
        long chunkLeft = -1;
        int crlfLeft;
        boolean ended;
        boolean connected;
        String event;
        String id;
        String data;
        String lastEvent;
        String failure;
        long frames;

        Viewer(SocketChannel channel) {
            this.channel = channel;
        }
    }

    /** Child-process side: connects the viewers on one selector, reports, then reads until every stream ends. */
    private static void viewers(String url, int viewerCount) throws Exception {
        URI uri = URI.create(url);
        InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort());
        byte[] request = ("GET " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        Selector selector = Selector.open();
        List<Viewer> all = new ArrayList<>();
        Map<Long, long[]> firstLast = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        Map<String, long[]> deltaFirstLast = new HashMap<>();
        List<String> deltaReceipts = new ArrayList<>();
        int[] counts = new int[3]; // connected, finished, failed
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int opened = 0;
        long lastBatch = 0;
        long replayedUpTo = -1;
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (counts[1] < viewerCount && System.nanoTime() < deadline) {
            // Connections open in steps of 100 every 50 ms, like a crowd arriving, but never more than 200 waiting
            // for their answer: the connection storm is not what is measured here, and on a loaded machine a server
            // that cannot parse a request within HTTP_HEADER_TIMEOUT_SECONDS closes it.
            boolean batchDue = System.nanoTime() - lastBatch >= TimeUnit.MILLISECONDS.toNanos(50)
                    && opened - counts[0] - counts[2] < 200;
            if (batchDue) {
                lastBatch = System.nanoTime();
            }
            for (int i = 0; batchDue && i < 100 && opened < viewerCount; i++, opened++) {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.connect(address);
                Viewer viewer = new Viewer(channel);
                all.add(viewer);
                channel.register(selector, SelectionKey.OP_CONNECT, viewer);
            }
            selector.select(opened < viewerCount ? 10 : 1000);
            long now = System.nanoTime();
            for (SelectionKey key : selector.selectedKeys()) {
                Viewer viewer = (Viewer) key.attachment();
                try {
                    if (key.isConnectable()) {
                        viewer.channel.finishConnect();
                        viewer.channel.write(ByteBuffer.wrap(request));
                        key.interestOps(SelectionKey.OP_READ);
                        continue;
                    }
                    buffer.clear();
                    int read = viewer.channel.read(buffer);
                    if (read < 0) {
                        end(viewer, key, counts);
                        continue;
                    }
                    buffer.flip();
                    consume(viewer, buffer, now, replayedUpTo, firstLast, names, deltaFirstLast, deltaReceipts,
                            counts);
                    if (viewer.ended) {
                        end(viewer, key, counts);
                    }
                } catch (IOException e) {
                    viewer.failure = e.toString();
                    end(viewer, key, counts);
                }
            }
            selector.selectedKeys().clear();
            if (replayedUpTo < 0 && counts[0] + counts[2] == viewerCount) {
                System.out.println("connected " + counts[0] + " viewers (" + counts[2] + " failed)");
                System.out.flush();
                replayedUpTo = Long.parseLong(stdin.readLine().strip());
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            }
        }
        String reference = all.get(0).sequence.toString();
        long identical = all.stream().filter(v -> v.sequence.toString().equals(reference)).count();
        long completed = all.stream().filter(v -> "debate_complete".equals(v.lastEvent)).count();
        System.out.printf(Locale.ROOT, "%d viewers: %d identical sequences (ids, names, data) of %d events; %d ended "
                        + "with debate_complete; %d never got the stream%n", viewerCount, identical,
                reference.chars().filter(c -> c == '\u0001').count(), completed, counts[2]);
        Map<String, Long> failures = new TreeMap<>();
        all.stream().filter(v -> !v.connected).forEach(v -> failures.merge(v.failure == null
                ? "closed before the stream began" : v.failure, 1L, Long::sum));
        failures.forEach((reason, n) -> System.out.println("  not connected: " + n + " x " + reason));
        Map<String, List<Long>> spreads = new TreeMap<>();
        List<Long> allLive = new ArrayList<>();
        final long cursor = replayedUpTo;
        firstLast.forEach((seq, span) -> {
            if (seq > cursor) {
                spreads.computeIfAbsent(names.get(seq), k -> new ArrayList<>()).add(span[1] - span[0]);
                allLive.add(span[1] - span[0]);
            }
        });
        List<Long> deltaSpreads = new ArrayList<>();
        long partialDeltas = deltaFirstLast.values().stream().filter(s -> s[2] < viewerCount).count();
        deltaFirstLast.values().forEach(s -> {
            if (s[2] == viewerCount) {
                deltaSpreads.add(s[1] - s[0]);
            }
        });
        spreads.put("message_delta (frames every viewer read)", deltaSpreads);
        spreads.put("all live events with an id", allLive);
        System.out.println("first-to-last viewer spread per event type (live events only):");
        spreads.forEach((name, list) -> {
            Collections.sort(list);
            if (!list.isEmpty()) {
                System.out.printf(Locale.ROOT, "  %-42s n=%3d  p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms%n", name,
                        list.size(), percentile(list, 50) / 1e6, percentile(list, 99) / 1e6,
                        list.get(list.size() - 1) / 1e6);
            }
        });
        System.out.println("  (" + partialDeltas + " delta frames were read by only some viewers: coalesced "
                + "differently for a viewer that was behind)");
        System.out.println("frames " + (all.stream().mapToLong(v -> v.frames).sum()));
        deltaReceipts.forEach(System.out::println);
        System.out.flush();
    }

    private static void end(Viewer viewer, SelectionKey key, int[] counts) throws IOException {
        key.cancel();
        viewer.channel.close();
        if (!viewer.connected) {
            counts[2]++;
        }
        counts[1]++;
    }

    private static void consume(Viewer v, ByteBuffer in, long now, long replayedUpTo, Map<Long, long[]> firstLast,
                                Map<Long, String> names, Map<String, long[]> deltaFirstLast,
                                List<String> deltaReceipts, int[] counts) {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (!v.headDone) {
                v.head.append((char) b);
                if (b == '\n' && v.head.length() >= 4 && v.head.substring(v.head.length() - 4).equals("\r\n\r\n")) {
                    v.headDone = true;
                    String head = v.head.toString();
                    v.status = Integer.parseInt(head.substring(9, 12));
                    if (v.status != 200) {
                        v.failure = "HTTP " + v.status;
                        v.ended = true;
                        return;
                    }
                }
                continue;
            }
            if (v.crlfLeft > 0) {
                v.crlfLeft--;
                continue;
            }
            if (v.chunkLeft <= 0) {
                if (b == '\n') {
                    String size = v.sizeLine.toString().strip();
                    v.sizeLine.setLength(0);
                    v.chunkLeft = Long.parseLong(size.contains(";") ? size.substring(0, size.indexOf(';')) : size, 16);
                    if (v.chunkLeft == 0) {
                        v.ended = true;
                        return;
                    }
                } else {
                    v.sizeLine.append((char) b);
                }
                continue;
            }
            v.chunkLeft--;
            if (v.chunkLeft == 0) {
                v.crlfLeft = 2;
            }
            if (b != '\n') {
                v.line.write(b);
                continue;
            }
            String line = v.line.toString(StandardCharsets.UTF_8);
            v.line.reset();
            if (line.isEmpty()) {
                dispatch(v, now, replayedUpTo, firstLast, names, deltaFirstLast, deltaReceipts);
            } else if (line.startsWith("retry:")) {
                v.connected = true;
                counts[0]++;
            } else if (line.startsWith("event: ")) {
                v.event = line.substring(7);
            } else if (line.startsWith("id: ")) {
                v.id = line.substring(4);
            } else if (line.startsWith("data: ")) {
                v.data = line.substring(6);
            }
        }
    }

    private static void dispatch(Viewer v, long now, long replayedUpTo, Map<Long, long[]> firstLast,
                                 Map<Long, String> names, Map<String, long[]> deltaFirstLast,
                                 List<String> deltaReceipts) {
        if (v.event == null) {
            return;
        }
        if (replayedUpTo >= 0) {
            v.frames++;
        }
        if (v.id != null) {
            long seq = Long.parseLong(v.id);
            long[] span = firstLast.computeIfAbsent(seq, k -> new long[] {now, now});
            span[0] = Math.min(span[0], now);
            span[1] = Math.max(span[1], now);
            names.put(seq, v.event);
            v.sequence.append(v.id).append('|').append(v.event).append('|').append(v.data).append('\u0001');
            v.lastEvent = v.event;
        } else if (v.event.equals(DeltaFrame.EVENT) && replayedUpTo >= 0) {
            long[] span = deltaFirstLast.computeIfAbsent(v.data, k -> new long[] {now, now, 0});
            span[0] = Math.min(span[0], now);
            span[1] = Math.max(span[1], now);
            span[2]++;
            // The argument has no character JSON escapes: the delta's extent is read off the line.
            String d = v.data;
            int m = d.indexOf(MODEL_KEY) + MODEL_KEY.length();
            String model = d.substring(m, d.indexOf('"', m));
            int r = d.indexOf(ROUND_KEY) + ROUND_KEY.length();
            String round = d.substring(r, d.indexOf(',', r));
            int o = d.indexOf(OFFSET_KEY) + OFFSET_KEY.length();
            int offset = Integer.parseInt(d.substring(o, d.indexOf(',', o)));
            int deltaStart = d.indexOf(DELTA_KEY, o) + DELTA_KEY.length();
            int to = offset + (d.length() - 2 - deltaStart);
            deltaReceipts.add("D " + model + " " + round + " " + offset + " " + to + " " + now);
        }
        v.event = null;
        v.id = null;
        v.data = null;
    }
}
