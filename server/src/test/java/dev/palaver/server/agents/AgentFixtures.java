package dev.palaver.server.agents;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.palaver.server.testing.Http;

/** Valid agent bodies to start from, JSON edits by path, and the agents API over real HTTP. */
final class AgentFixtures {

    static final ObjectMapper JSON = JsonMapper.builder().build();

    static final String KNOWLEDGE_BASE = "0190a0b2-7c3e-7d4f-8a9b-0c1d2e3f4a5b";

    private AgentFixtures() {
    }

    /** An LLM agent with every field set to a non-default value. */
    static ObjectNode llmAgent(String name) {
        return (ObjectNode) JSON.readTree("""
                {"name": "%s", "brain": "llm", "personaPrompt": "You are a helpful support agent.",
                 "firstMessage": "Hi, this is Acme support.", "language": "en-GB", "voice": "alloy",
                 "providers": {
                   "stt": {"provider": "deepgram", "model": "nova-3", "fallbacks": []},
                   "llm": {"provider": "openai", "model": "gpt-4o-mini",
                           "fallbacks": [{"provider": "anthropic", "model": "claude-3-5-haiku-latest"}]},
                   "tts": {"provider": "elevenlabs", "voice": "rachel", "fallbacks": [{"provider": "offline"}]}},
                 "endpointing": {"delayMs": 600},
                 "interruption": {"thresholdMs": 300, "backchannels": false, "falseInterruption": "repeat"},
                 "tools": ["knowledge_search", "end_call"],
                 "httpTools": [{"name": "lookup_order", "description": "Looks up an order by its number.",
                                "url": "https://hooks.example.test/orders",
                                "schema": {"type": "object", "properties": {"order_id": {"type": "string"}},
                                           "required": ["order_id"]}}],
                 "knowledgeBaseIds": ["%s"],
                 "memory": {"enabled": true},
                 "limits": {"maxDurationSeconds": 600, "silenceTimeoutSeconds": 10},
                 "enabled": true}
                """.formatted(name, KNOWLEDGE_BASE));
    }

    /**
     * A flow agent: greet (0) → answer (1) or book (2) → done (3, end). book fills date and time;
     * done's reply uses them.
     */
    static ObjectNode flowAgent(String name) {
        return (ObjectNode) JSON.readTree("""
                {"name": "%s", "brain": "flow", "firstMessage": "Hello, front desk.",
                 "tools": ["knowledge_search", "book_appointment", "take_message", "end_call"],
                 "flow": {"startNode": "greet", "nodes": [
                   {"id": "greet", "instructions": "Find out what the caller wants.", "reply": "How can I help?",
                    "transitions": [{"target": "answer", "examples": ["what are your opening hours", "where are you"]},
                                    {"target": "book", "examples": ["I'd like to book an appointment"]}]},
                   {"id": "answer", "instructions": "Answer from the knowledge base.", "functions": ["knowledge_search"],
                    "transitions": [{"target": "greet", "examples": ["thanks", "something else"]}]},
                   {"id": "book", "instructions": "Collect the date and time, then book.",
                    "slots": [{"name": "date", "type": "date", "required": true, "prompt": "Which day?"},
                              {"name": "time", "type": "time", "prompt": "What time?"}],
                    "functions": ["book_appointment"],
                    "transitions": [{"target": "done", "condition": "slots_filled"}]},
                   {"id": "done", "instructions": "Confirm and say goodbye.",
                    "reply": "You're booked on {date} at {time}. Goodbye!", "end": true}]}}
                """.formatted(name));
    }

    static String unique(String prefix) {
        return prefix + " " + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    // ------------------------------------------------------------ edits by path, e.g. flow.nodes[2].slots[0].name

    private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    private static List<Object> segments(String path) {
        List<Object> out = new ArrayList<>();
        Matcher m = SEGMENT.matcher(path);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : (Object) Integer.parseInt(m.group(2)));
        }
        return out;
    }

    private static JsonNode parent(JsonNode root, List<Object> segments) {
        JsonNode node = root;
        for (Object s : segments.subList(0, segments.size() - 1)) {
            node = s instanceof Integer i ? node.get(i) : node.get((String) s);
        }
        return node;
    }

    /** Sets the value at {@code path} (a String, Number, Boolean or JsonNode). */
    static ObjectNode set(ObjectNode root, String path, Object value) {
        List<Object> segments = segments(path);
        JsonNode parent = parent(root, segments);
        JsonNode v = value instanceof JsonNode n ? n : JSON.valueToTree(value);
        Object last = segments.getLast();
        if (last instanceof Integer i) {
            ((ArrayNode) parent).set(i, v);
        } else {
            ((ObjectNode) parent).set((String) last, v);
        }
        return root;
    }

    /** Sets the value at {@code path} to parsed JSON. */
    static ObjectNode setJson(ObjectNode root, String path, String json) {
        return set(root, path, JSON.readTree(json));
    }

    static ObjectNode remove(ObjectNode root, String path) {
        List<Object> segments = segments(path);
        JsonNode parent = parent(root, segments);
        Object last = segments.getLast();
        if (last instanceof Integer i) {
            ((ArrayNode) parent).remove(i);
        } else {
            ((ObjectNode) parent).remove((String) last);
        }
        return root;
    }

    /** Appends parsed JSON to the array at {@code path}. */
    static ObjectNode append(ObjectNode root, String path, String json) {
        List<Object> segments = new ArrayList<>(segments(path));
        segments.add("_");
        ((ArrayNode) parent(root, segments)).add(JSON.readTree(json));
        return root;
    }

    // ------------------------------------------------------------ HTTP

    static HttpResponse<String> post(Http http, String token, String body) {
        return http.postJson("/api/v1/agents", body, "Authorization", "Bearer " + token);
    }

    static HttpResponse<String> put(Http http, String token, Object id, String body, String... headers) {
        HttpRequest.Builder b = http.request("/api/v1/agents/" + id).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b);
    }

    static HttpResponse<String> get(Http http, String token, String path) {
        return http.get(path, "Authorization", "Bearer " + token);
    }

    static HttpResponse<String> delete(Http http, String token, Object id) {
        return http.send(http.request("/api/v1/agents/" + id).header("Authorization", "Bearer " + token).DELETE());
    }

    /** Creates the agent and answers its id; fails the test on anything but 201. */
    static String create(Http http, String token, ObjectNode body) {
        HttpResponse<String> r = post(http, token, body.toString());
        if (r.statusCode() != 201) {
            throw new AssertionError("create failed: " + r.statusCode() + " " + r.body());
        }
        return Http.json(r).get("id").asString();
    }
}
