package dev.palaver.bench.calls;

import dev.palaver.bench.Stats;
import dev.palaver.providers.http.Json;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The engine's own account of the turns (the {@code turn} events of {@code GET /api/v1/calls/{id}}): how long
 * it waited for the endpointing silence, the STT's final, the model's first token and the first audio, and
 * what it books as its own overhead. Printed beside the caller's view, it shows where a turn's time goes.
 */
final class EngineTurns {

    static final List<String> METRICS = List.of("endpointingDelayMs", "sttFinalLatencyMs", "llmTimeToFirstTokenMs",
            "ttsTimeToFirstByteMs", "firstAudioOutMs", "platformOverheadMs");

    private final PalaverApi api;

    EngineTurns(PalaverApi api) {
        this.api = api;
    }

    /** p50 / p99 of each metric over the turns of the calls started since {@code since} (at most {@code max} calls). */
    String summary(Instant since, int max) throws IOException, InterruptedException {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        METRICS.forEach(m -> values.put(m, new ArrayList<>()));
        String cursor = null;
        int calls = 0;
        do {
            JsonNode page = api.get("/api/v1/calls?limit=200&startedFrom=" + enc(since.toString())
                    + (cursor == null ? "" : "&cursor=" + enc(cursor)));
            for (JsonNode call : page.path("items")) {
                if (calls++ >= max) {
                    break;
                }
                for (JsonNode turn : api.get("/api/v1/calls/" + Json.string(call, "id")).path("turns")) {
                    for (String m : METRICS) {
                        if (turn.path(m).isNumber()) {
                            values.get(m).add(turn.path(m).asDouble());
                        }
                    }
                }
            }
            cursor = Json.string(page, "nextCursor");
        } while (cursor != null && calls < max);
        StringBuilder out = new StringBuilder("engine's turn metrics (p50 / p99 ms):");
        values.forEach((m, v) -> {
            Stats s = new Stats(v.stream().mapToDouble(Double::doubleValue).toArray());
            out.append(String.format(Locale.ROOT, " %s %.0f / %.0f;", m.replace("Ms", ""), s.percentile(50), s.percentile(99)));
        });
        return out.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
