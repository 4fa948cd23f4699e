package dev.palaver.bench.api;

import dev.palaver.bench.Stats;
import dev.palaver.bench.calls.PalaverApi;
import dev.palaver.providers.http.Json;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * {@code bench api}: against a running Palaver on embedded PostgreSQL (started by {@code bench/run api}),
 * seeds a million calls (see {@link CallSeed}), then {@code --clients} clients at once, for {@code --seconds}
 * (after {@code --warmup-seconds} of the same, not recorded: the server's JIT compiles the request paths, as on a
 * server that has been up for a while; the rollups' hours are filled by the first requests, once an hour in
 * life), each loop over a mix: {@code GET /api/v1/calls} first pages (no filter, and by status, agent, direction,
 * number, time range), cursor pages following {@code nextCursor}, the KPIs of the last 24 hours
 * ({@code GET /api/v1/calls/stats?from=…}, a full day: the most the overview's "today" counts)
 * and the last 24 hours of turn latency per hour ({@code GET /api/v1/calls/stats/series?hours=24}), the queries
 * the dashboard's overview runs. Latency is the client's, from request to the last byte. Ends with {@code RESULT suite=api calls_list_p99_ms=… kpi_p99_ms=… series_p99_ms=… errors=…}.
 */
public final class ApiSuite {

    private enum Kind { LIST_FIRST, LIST_FILTERED, LIST_CURSOR, KPI, SERIES }

    /** A whole day of calls, the most "today" ever holds (the overview's default, today, depends on the hour). */
    private static final String KPIS = "/api/v1/calls/stats?from=";
    private static final String SERIES = "/api/v1/calls/stats/series?hours=24";

    private ApiSuite() {
    }

    public static int run(List<String> args, PrintStream out) throws Exception {
        Map<String, String> o = options(args);
        int total = Integer.parseInt(o.getOrDefault("--calls", "1000000"));
        int clients = Integer.parseInt(o.getOrDefault("--clients", "4"));
        int seconds = Integer.parseInt(o.getOrDefault("--seconds", "30"));
        int warmup = Integer.parseInt(o.getOrDefault("--warmup-seconds", "15"));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        PalaverApi api = new PalaverApi(http, required(o, "--server"));
        JsonNode login = api.post("/api/v1/auth/login", Json.fields("email", o.getOrDefault("--admin-email",
                "admin@palaver.local"), "password", required(o, "--admin-password")));
        api.bearer(Json.string(login, "accessToken"));
        UUID org = UUID.fromString(Json.string(login, "orgId"));
        String dbUrl = required(o, "--db-url");
        String dbPassword = Files.readString(Path.of(required(o, "--db-password-file"))).strip();
        UUID[] agents;
        out.printf("seeding %,d calls (half in the benchmark organization, the rest across %d others)%n", total,
                CallSeed.OTHER_ORGS);
        try (Connection db = DriverManager.getConnection(dbUrl, "palaver", dbPassword)) {
            agents = CallSeed.seed(db, org, total, out);
        }
        JsonNode today = api.get(kpis());
        JsonNode series = api.get(SERIES);
        out.printf("KPIs of the last 24 hours: %s; turn latency: %d hourly buckets%n", today, series.path("buckets").size());
        if (warmup > 0) {
            out.printf("warming up: %d clients for %d s, not recorded%n", clients, warmup);
            load(api, agents, clients, warmup, latencies(), new AtomicLong());
        }
        Map<Kind, ConcurrentLinkedQueue<Double>> latencies = latencies();
        AtomicLong errors = new AtomicLong();
        out.printf("measuring: %d clients for %d s (load average %s)%n", clients, seconds, loadAverage());
        load(api, agents, clients, seconds, latencies, errors);
        Stats list = stats(latencies, Kind.LIST_FIRST, Kind.LIST_FILTERED, Kind.LIST_CURSOR);
        for (Kind k : Kind.values()) {
            out.printf(Locale.ROOT, "  %-14s %s ms%n", k.name().toLowerCase(Locale.ROOT), stats(latencies, k).summary(1));
        }
        out.printf(Locale.ROOT, "RESULT suite=api calls_list_p99_ms=%.1f kpi_p99_ms=%.1f series_p99_ms=%.1f errors=%d%n",
                list.percentile(99), stats(latencies, Kind.KPI).percentile(99),
                stats(latencies, Kind.SERIES).percentile(99), errors.get());
        return 0;
    }

    private static Map<Kind, ConcurrentLinkedQueue<Double>> latencies() {
        Map<Kind, ConcurrentLinkedQueue<Double>> latencies = new ConcurrentHashMap<>();
        for (Kind k : Kind.values()) {
            latencies.put(k, new ConcurrentLinkedQueue<>());
        }
        return latencies;
    }

    /** {@code clients} clients at once, each looping over the mix for {@code seconds}. */
    private static void load(PalaverApi api, UUID[] agents, int clients, int seconds,
            Map<Kind, ConcurrentLinkedQueue<Double>> latencies, AtomicLong errors) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        round(api, agents, latencies, errors);
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
    }

    /** One pass of the mix by one client. */
    private static void round(PalaverApi api, UUID[] agents,
            Map<Kind, ConcurrentLinkedQueue<Double>> latencies, AtomicLong errors) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String cursor = timedGet(api, "/api/v1/calls?limit=50", Kind.LIST_FIRST, latencies, errors);
        for (int page = 0; page < 3 && cursor != null; page++) {
            cursor = timedGet(api, "/api/v1/calls?limit=50&cursor=" + enc(cursor), Kind.LIST_CURSOR, latencies, errors);
        }
        String[] filters = {
            "status=failed",
            "agentId=" + agents[r.nextInt(agents.length)],
            "direction=outbound",
            "number=" + enc("+1555" + String.format("%07d", r.nextInt(10_000))),
            "startedFrom=" + enc(Instant.now().minus(7, ChronoUnit.DAYS).toString()) + "&startedTo="
                    + enc(Instant.now().minus(6, ChronoUnit.DAYS).toString()),
        };
        timedGet(api, "/api/v1/calls?limit=50&" + filters[r.nextInt(filters.length)], Kind.LIST_FILTERED, latencies, errors);
        timedGet(api, kpis(), Kind.KPI, latencies, errors);
        timedGet(api, SERIES, Kind.SERIES, latencies, errors);
    }

    /** GETs {@code path}, records its latency under {@code kind}; returns the page's {@code nextCursor}, if any. */
    private static String timedGet(PalaverApi api, String path, Kind kind,
            Map<Kind, ConcurrentLinkedQueue<Double>> latencies, AtomicLong errors) {
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> response = api.exchange("GET", path, null);
            latencies.get(kind).add((System.nanoTime() - t0) / 1e6);
            if (response.statusCode() != 200) {
                errors.incrementAndGet();
                return null;
            }
            JsonNode page = Json.tryParse(response.body());
            return page == null ? null : Json.string(page, "nextCursor");
        } catch (Exception e) {
            errors.incrementAndGet();
            return null;
        }
    }

    private static Stats stats(Map<Kind, ConcurrentLinkedQueue<Double>> latencies, Kind... kinds) {
        List<Double> all = new ArrayList<>();
        for (Kind k : kinds) {
            all.addAll(latencies.get(k));
        }
        return new Stats(all.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static String kpis() {
        return KPIS + enc(Instant.now().minus(24, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ", 4)[0];
        } catch (Exception e) {
            return "?";
        }
    }

    private static Map<String, String> options(List<String> args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.size(); i += 2) {
            o.put(args.get(i), args.get(i + 1));
        }
        return o;
    }

    private static String required(Map<String, String> o, String name) {
        String v = o.get(name);
        if (v == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return v;
    }
}
