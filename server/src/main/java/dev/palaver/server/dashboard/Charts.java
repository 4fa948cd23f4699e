package dev.palaver.server.dashboard;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import dev.palaver.server.calls.CallStatistics;

/**
 * Chart.js configurations as JSON, put in the page in a {@code <script type="application/json">} block
 * (data, not code: the Content-Security-Policy allows no inline script) and drawn by {@code palaver.js}.
 */
@Component
class Charts {

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("MM-dd HH:00").withZone(ZoneOffset.UTC);
    private static final List<String> TURN_PARTS = List.of("sttFinalLatencyMs", "llmTimeToFirstTokenMs",
            "ttsTimeToFirstByteMs", "firstAudioOutMs");

    private final ObjectMapper json;

    Charts(ObjectMapper json) {
        this.json = json;
    }

    String latencyOverTime(List<CallStatistics.LatencyBucket> buckets) {
        List<String> labels = buckets.stream().map(b -> HOUR.format(b.start())).toList();
        return config("line", labels, List.of(
                dataset("p50 (ms)", buckets.stream().map(b -> (Object) Math.round(b.p50Ms())).toList()),
                dataset("p90 (ms)", buckets.stream().map(b -> (Object) Math.round(b.p90Ms())).toList())), "ms");
    }

    /** One bar group per turn: the parts of its latency as the call engine measured them. */
    String turnLatency(List<JsonNode> turns) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < turns.size(); i++) {
            JsonNode n = turns.get(i).get("turn");
            labels.add("Turn " + (n != null && n.isNumber() ? n.asInt() : i + 1));
        }
        List<Map<String, Object>> sets = new ArrayList<>();
        for (String part : TURN_PARTS) {
            sets.add(dataset(part.replace("Ms", " (ms)"), turns.stream().map(t -> {
                JsonNode v = t.get(part);
                return v != null && v.isNumber() ? (Object) v.asLong() : null;
            }).toList()));
        }
        return config("bar", labels, sets, "ms");
    }

    private static Map<String, Object> dataset(String label, List<Object> data) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("label", label);
        d.put("data", data);
        return d;
    }

    private String config(String type, List<String> labels, List<Map<String, Object>> datasets, String unit) {
        Map<String, Object> config = Map.of("type", type,
                "data", Map.of("labels", labels, "datasets", datasets),
                "options", Map.of("animation", false, "responsive", true,
                        "scales", Map.of("y", Map.of("beginAtZero", true, "title", Map.of("display", true, "text", unit)))));
        // Safe inside <script type="application/json">: no "</" can end the block early.
        return json.writeValueAsString(config).replace("</", "<\\/");
    }
}
