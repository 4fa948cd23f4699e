package dev.palaver.server.brain;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import dev.palaver.media.llm.AssistantMessage;
import dev.palaver.media.llm.ChatMessage;
import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.LlmRequest;
import dev.palaver.media.llm.SystemMessage;
import dev.palaver.media.llm.ToolCall;
import dev.palaver.media.llm.ToolMessage;
import dev.palaver.media.llm.UserMessage;
import dev.palaver.server.agents.AgentTools;

/**
 * What a finished conversation teaches about the caller: facts (their name, stated preferences) and one
 * summary line. Offline it reads the caller's own words and the tools that succeeded; with a language
 * model it asks the model, and falls back to the rules when the model fails or answers nonsense.
 */
final class MemoryExtraction {

    record Learned(Map<String, String> facts, String summaryLine) {
    }

    private static final Pattern PREFERENCE = Pattern.compile(
            "(?i)\\bI(?:'d| would)? (?:prefer|like|love|rather have|always want|always have)\\s+([^.!?]{3,80})");
    private static final Duration MODEL_TIMEOUT = Duration.ofSeconds(20);
    private static final String INSTRUCTIONS = """
            You keep a short memory of a caller for a business's phone agent. From the conversation below, \
            reply with JSON only, no prose: {"facts": {"name": "...", ...}, "summary": "..."}. facts: what is \
            worth knowing next time (name, stated preferences, ongoing matters), lower_snake_case keys, short \
            values, omit what was not said. summary: one sentence on what the caller wanted and what was done.""";

    private MemoryExtraction() {
    }

    static Learned ruleBased(List<ChatMessage> history, LocalDate date) {
        Map<String, String> facts = new LinkedHashMap<>();
        String firstWords = null;
        for (ChatMessage m : history) {
            if (m instanceof UserMessage u) {
                SlotParsers.name(u.text(), false).ifPresent(n -> facts.put("name", n));
                Matcher p = PREFERENCE.matcher(u.text());
                if (p.find()) {
                    facts.put("preference", p.group(1).strip());
                }
                if (firstWords == null && !u.text().isBlank()) {
                    firstWords = u.text().strip();
                }
            }
        }
        List<String> done = new ArrayList<>();
        Map<String, ToolCall> calls = new HashMap<>();
        for (ChatMessage m : history) {
            if (m instanceof AssistantMessage a) {
                a.toolCalls().forEach(c -> calls.put(c.id(), c));
            } else if (m instanceof ToolMessage t && !t.error() && calls.containsKey(t.toolCallId())) {
                describe(calls.get(t.toolCallId()), facts).ifPresent(done::add);
            }
        }
        String what = done.isEmpty() ? firstWords == null ? "called" : "called and said \"" + clip(firstWords, 80) + "\""
                : String.join("; ", done.stream().distinct().toList());
        return new Learned(facts, date + ": " + what + ".");
    }

    private static Optional<String> describe(ToolCall call, Map<String, String> facts) {
        JsonNode args;
        try {
            args = JSON.readTree(call.argumentsJson());
        } catch (JacksonException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (call.name()) {
            case AgentTools.BOOK_APPOINTMENT -> {
                if (args.path("name").isString()) {
                    facts.putIfAbsent("name", args.path("name").asString());
                }
                yield "booked " + (args.path("service").asString("").isBlank() ? "an appointment"
                        : "a " + args.path("service").asString()) + " for " + args.path("date").asString("") + " "
                        + args.path("time").asString("");
            }
            case AgentTools.RESCHEDULE_APPOINTMENT -> "moved an appointment to " + args.path("date").asString("") + " "
                    + args.path("time").asString("");
            case AgentTools.CANCEL_APPOINTMENT -> "cancelled an appointment";
            case AgentTools.TAKE_MESSAGE -> "left a message: \"" + clip(args.path("message").asString(""), 80) + "\"";
            case AgentTools.KNOWLEDGE_SEARCH -> "asked \"" + clip(args.path("query").asString(""), 60) + "\"";
            default -> null;
        });
    }

    /** The model's reading of the conversation, or empty when it fails, stalls or answers no JSON object. */
    static Optional<Learned> withModel(LanguageModel model, List<ChatMessage> history, LocalDate date) {
        StringBuilder transcript = new StringBuilder();
        for (ChatMessage m : history) {
            switch (m) {
                case UserMessage u -> transcript.append("Caller: ").append(u.text()).append('\n');
                case AssistantMessage a when !a.text().isBlank() -> transcript.append("Agent: ").append(a.text()).append('\n');
                default -> {
                }
            }
        }
        if (transcript.isEmpty()) {
            return Optional.empty();
        }
        CompletableFuture<String> answer = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        LanguageModel.Stream stream = model.stream(new LlmRequest(List.of(new SystemMessage(INSTRUCTIONS),
                new UserMessage(clip(transcript.toString(), 12_000))), List.of()), new LanguageModel.Listener() {
            @Override
            public void onText(String delta) {
                text.append(delta);
            }

            @Override
            public void onToolCall(ToolCall call) {
            }

            @Override
            public void onDone() {
                answer.complete(text.toString());
            }

            @Override
            public void onError(String message) {
                answer.completeExceptionally(new IllegalStateException(message));
            }
        });
        try {
            String reply = answer.get(MODEL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            int start = reply.indexOf('{');
            int end = reply.lastIndexOf('}');
            if (start < 0 || end < start) {
                return Optional.empty();
            }
            JsonNode json = JSON.readTree(reply.substring(start, end + 1));
            Map<String, String> facts = new LinkedHashMap<>();
            json.path("facts").properties().forEach(e -> {
                if (e.getValue().isValueNode() && !e.getValue().asString("").isBlank()) {
                    facts.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asString());
                }
            });
            String summary = json.path("summary").asString("");
            return Optional.of(new Learned(facts, summary.isBlank() ? null : date + ": " + clip(summary.strip(), 300)));
        } catch (ExecutionException | TimeoutException | JacksonException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            stream.close();
        }
    }

    private static final ObjectMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
