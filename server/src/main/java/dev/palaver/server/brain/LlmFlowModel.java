package dev.palaver.server.brain;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.palaver.media.llm.AssistantMessage;
import dev.palaver.media.llm.ChatMessage;
import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.LlmRequest;
import dev.palaver.media.llm.SystemMessage;
import dev.palaver.media.llm.ToolCall;
import dev.palaver.media.llm.ToolDefinition;
import dev.palaver.media.llm.ToolMessage;
import dev.palaver.server.agents.AgentDefinition.Condition;
import dev.palaver.server.agents.AgentDefinition.Flow;
import dev.palaver.server.agents.AgentDefinition.FlowNode;
import dev.palaver.server.agents.AgentDefinition.Slot;
import dev.palaver.server.agents.AgentDefinition.Transition;

/**
 * A flow steered by a language model: each request carries the current node's instructions, slots and
 * ways on, and offers only the node's functions plus {@value #GO_TO}, with which the model moves the
 * conversation to a next node. That move is handled here (the call engine never sees it): the model is
 * asked again at once under the new node's instructions, at most {@value #MAX_MOVES} times per request.
 */
final class LlmFlowModel implements LanguageModel {

    static final String GO_TO = "go_to_step";
    private static final int MAX_MOVES = 3;

    private final Flow flow;
    private final LanguageModel llm;
    private volatile FlowNode node;

    LlmFlowModel(Flow flow, LanguageModel llm) {
        this.flow = flow;
        this.llm = llm;
        this.node = flow.start();
    }

    String currentNode() {
        return node.id();
    }

    @Override
    public Stream stream(LlmRequest request, Listener listener) {
        Turn turn = new Turn(request, listener);
        turn.start();
        return turn::close;
    }

    /** The request as the model sees it at {@code at}: the node's guidance and tools. */
    LlmRequest steer(LlmRequest request, FlowNode at) {
        List<ChatMessage> messages = new ArrayList<>(request.messages());
        int position = !messages.isEmpty() && messages.getFirst() instanceof SystemMessage ? 1 : 0;
        messages.add(position, new SystemMessage(guidance(at)));
        Set<String> allowed = Set.copyOf(at.functions());
        List<ToolDefinition> tools = new ArrayList<>(request.tools().stream().filter(t -> allowed.contains(t.name())).toList());
        List<String> targets = at.transitions().stream().map(Transition::target).distinct().toList();
        if (!targets.isEmpty()) {
            tools.add(new ToolDefinition(GO_TO, "Move the conversation to the next step when this step is done or the "
                    + "caller wants something another step handles.", "{\"type\": \"object\", \"properties\": {\"step\": "
                    + "{\"type\": \"string\", \"enum\": [" + targets.stream().map(t -> "\"" + t + "\"")
                    .collect(Collectors.joining(", ")) + "]}}, \"required\": [\"step\"]}"));
        }
        return new LlmRequest(messages, tools);
    }

    private static String guidance(FlowNode at) {
        StringBuilder g = new StringBuilder("You are at the step \"" + at.id() + "\" of this conversation. ")
                .append(at.instructions().strip());
        if (!at.slots().isEmpty()) {
            g.append("\nCollect from the caller:");
            for (Slot s : at.slots()) {
                g.append("\n- ").append(s.name()).append(" (").append(s.type().wire()).append(s.required() ? ", required" : "")
                        .append(")").append(s.prompt().isBlank() ? "" : ": ask \"" + s.prompt() + "\"");
            }
        }
        if (!at.functions().isEmpty()) {
            g.append("\nWhen you have what they need, call: ").append(String.join(", ", at.functions())).append('.');
        }
        if (!at.transitions().isEmpty()) {
            g.append("\nThe next steps (call ").append(GO_TO).append(" to move):");
            for (Transition t : at.transitions()) {
                g.append("\n- ").append(t.target()).append(": ").append(t.condition() == null
                        ? "when the caller says something like " + String.join(" / ", t.examples())
                        : t.condition() == Condition.ALWAYS ? "right after this step" : "once the required details are collected");
            }
        }
        if (at.reply() != null) {
            g.append("\nWhen this step is done, say something like: ").append(at.reply());
        }
        if (at.end()) {
            g.append("\nThis is the last step: close the conversation politely.");
        }
        return g.toString();
    }

    /** One request: the model's stream, re-asked after each move to another node. */
    private final class Turn implements Listener {
        private final List<ChatMessage> messages;
        private final List<ToolDefinition> tools;
        private final Listener out;
        private StringBuilder text = new StringBuilder();
        private final List<ToolCall> forwarded = new ArrayList<>();
        private ToolCall move;
        private Stream inner;
        private boolean closed;
        private int moves;

        Turn(LlmRequest request, Listener out) {
            this.messages = new ArrayList<>(request.messages());
            this.tools = request.tools();
            this.out = out;
        }

        synchronized void start() {
            if (closed) {
                return;
            }
            text = new StringBuilder();
            forwarded.clear();
            move = null;
            inner = llm.stream(steer(new LlmRequest(messages, tools), node), this);
        }

        synchronized void close() {
            closed = true;
            if (inner != null) {
                inner.close();
            }
        }

        @Override
        public synchronized void onText(String delta) {
            if (!closed) {
                text.append(delta);
                out.onText(delta);
            }
        }

        @Override
        public synchronized void onToolCall(ToolCall call) {
            if (closed) {
                return;
            }
            if (GO_TO.equals(call.name())) {
                move = move == null ? call : move;
            } else {
                forwarded.add(call);
                out.onToolCall(call);
            }
        }

        @Override
        public void onDone() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (move != null) {
                    String target = target(move);
                    boolean known = node.transitions().stream().anyMatch(t -> t.target().equals(target));
                    if (known) {
                        node = flow.node(target).orElseThrow();
                        if (forwarded.isEmpty() && moves++ < MAX_MOVES) {
                            messages.add(new AssistantMessage(text.toString(), List.of(move), false));
                            messages.add(new ToolMessage(move.id(), GO_TO, "Now at the step \"" + target + "\".", false));
                            start();
                            return;
                        }
                    }
                }
            }
            out.onDone();
        }

        @Override
        public void onError(String message) {
            synchronized (this) {
                if (closed) {
                    return;
                }
            }
            out.onError(message);
        }

        private String target(ToolCall call) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"step\"\\s*:\\s*\"([^\"]+)\"")
                    .matcher(call.argumentsJson());
            return m.find() ? m.group(1) : "";
        }
    }
}
