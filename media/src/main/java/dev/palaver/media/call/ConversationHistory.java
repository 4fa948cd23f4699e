package dev.palaver.media.call;

import dev.palaver.media.llm.AssistantMessage;
import dev.palaver.media.llm.ChatMessage;
import dev.palaver.media.llm.SystemMessage;
import dev.palaver.media.llm.ToolMessage;
import dev.palaver.media.llm.UserMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The conversation as the model sees it, bounded: the last {@code maxTurns} turns verbatim plus a running
 * summary of everything older. A turn starts with a caller message (the greeting forms turn zero). Turns
 * pushed out are kept aside until they are summarised: by the model when the call has a summary model
 * (see {@link #startSummary()}), otherwise extractively (the opening sentence of each message).
 */
final class ConversationHistory {

    private static final int EXTRACT_CHARS = 120;

    private final String systemPrompt;
    private final int maxTurns;
    private final int maxSummaryChars;
    private final Deque<List<ChatMessage>> turns = new ArrayDeque<>();
    private final List<List<ChatMessage>> unsummarised = new ArrayList<>();
    private String summary = "";
    private int inSummary;

    ConversationHistory(String systemPrompt, int maxTurns, int maxSummaryChars) {
        this.systemPrompt = systemPrompt;
        this.maxTurns = maxTurns;
        this.maxSummaryChars = maxSummaryChars;
    }

    /** Starts a new turn with what the caller said; older turns beyond the limit are set aside. */
    void addCaller(String text) {
        List<ChatMessage> turn = new ArrayList<>();
        turn.add(new UserMessage(text));
        turns.add(turn);
        while (turns.size() > maxTurns) {
            unsummarised.add(turns.poll());
        }
    }

    /** Adds the agent's messages (and tool results) to the current turn. */
    void addAgent(List<ChatMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        if (turns.isEmpty()) {
            turns.add(new ArrayList<>());
        }
        turns.peekLast().addAll(messages);
    }

    /** The request prefix: instructions (with the summary) and the kept turns. */
    List<ChatMessage> messages() {
        List<ChatMessage> out = new ArrayList<>();
        String background = summaryText();
        out.add(new SystemMessage(background.isEmpty() ? systemPrompt
                : systemPrompt + "\n\nSummary of the conversation so far:\n" + background));
        turns.forEach(out::addAll);
        return out;
    }

    /** The summary as the model sees it: the last summary plus extracts of turns not yet summarised. */
    String summaryText() {
        List<String> parts = new ArrayList<>();
        if (!summary.isEmpty()) {
            parts.add(summary);
        }
        unsummarised.forEach(turn -> parts.add(extract(turn)));
        return bound(String.join("\n", parts).strip());
    }

    boolean hasUnsummarised() {
        return unsummarised.size() > inSummary;
    }

    /**
     * Turns the summary model should fold in now (and marks them as in progress), as a transcript; the
     * caller sends it with the current summary and reports back with {@link #summarised} or
     * {@link #summaryFailed}.
     */
    String startSummary() {
        inSummary = unsummarised.size();
        StringBuilder transcript = new StringBuilder();
        for (List<ChatMessage> turn : unsummarised) {
            for (ChatMessage message : turn) {
                switch (message) {
                    case UserMessage user -> transcript.append("Caller: ").append(user.text()).append('\n');
                    case AssistantMessage agent when !agent.text().isBlank() ->
                            transcript.append("Agent: ").append(agent.text()).append('\n');
                    case ToolMessage tool -> transcript.append("Tool ").append(tool.name()).append(": ")
                            .append(clip(tool.content(), EXTRACT_CHARS)).append('\n');
                    case AssistantMessage agent -> { }
                    case SystemMessage system -> { }
                }
            }
        }
        return transcript.toString();
    }

    String summary() {
        return summary;
    }

    /** The model summarised the turns handed out by {@link #startSummary()}. */
    void summarised(String newSummary) {
        summary = bound(newSummary.strip());
        dropInSummary();
    }

    /** The summary model failed: fold the turns in extractively instead. */
    void summaryFailed() {
        List<String> parts = new ArrayList<>();
        if (!summary.isEmpty()) {
            parts.add(summary);
        }
        unsummarised.subList(0, inSummary).forEach(turn -> parts.add(extract(turn)));
        summary = bound(String.join("\n", parts));
        dropInSummary();
    }

    /** No summary model: fold every set-aside turn in extractively now. */
    void summariseExtractively() {
        inSummary = unsummarised.size();
        summaryFailed();
    }

    int turnCount() {
        return turns.size();
    }

    int unsummarisedCount() {
        return unsummarised.size();
    }

    private void dropInSummary() {
        unsummarised.subList(0, inSummary).clear();
        inSummary = 0;
    }

    private static String extract(List<ChatMessage> turn) {
        List<String> lines = new ArrayList<>();
        for (ChatMessage message : turn) {
            if (message instanceof UserMessage user) {
                lines.add("Caller: " + firstSentence(user.text()));
            } else if (message instanceof AssistantMessage agent && !agent.text().isBlank()) {
                lines.add("Agent: " + firstSentence(agent.text()));
            }
        }
        return String.join("\n", lines);
    }

    private static String firstSentence(String text) {
        String s = text.strip();
        for (int i = 0; i < s.length() - 1; i++) {
            if (".!?".indexOf(s.charAt(i)) >= 0 && Character.isWhitespace(s.charAt(i + 1))) {
                return clip(s.substring(0, i + 1), EXTRACT_CHARS);
            }
        }
        return clip(s, EXTRACT_CHARS);
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** Keeps the most recent part: older lines go first. */
    private String bound(String text) {
        if (text.length() <= maxSummaryChars) {
            return text;
        }
        String tail = text.substring(text.length() - maxSummaryChars);
        int newline = tail.indexOf('\n');
        return newline >= 0 && newline < tail.length() - 1 ? tail.substring(newline + 1) : tail;
    }
}
