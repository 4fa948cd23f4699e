package dev.palaver.media.fake;

import dev.palaver.media.llm.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * One scripted completion for {@link FakeLanguageModel}: text and tool calls in order, then an ending.
 * Text is streamed a word at a time.
 */
public record FakeReply(List<Step> steps, Ending ending, String failure) {

    public sealed interface Step permits Text, Tool {
    }

    public record Text(String text) implements Step {
    }

    public record Tool(ToolCall call) implements Step {
    }

    public enum Ending { DONE, STALL, FAIL }

    public FakeReply {
        steps = List.copyOf(steps);
    }

    public static FakeReply says(String text) {
        return new FakeReply(List.of(new Text(text)), Ending.DONE, "");
    }

    public static FakeReply callsTool(String id, String name, String argumentsJson) {
        return new FakeReply(List.of(new Tool(new ToolCall(id, name, argumentsJson))), Ending.DONE, "");
    }

    /** Never sends anything and never finishes. */
    public static FakeReply stalls() {
        return new FakeReply(List.of(), Ending.STALL, "");
    }

    /** Fails before sending anything. */
    public static FakeReply fails(String message) {
        return new FakeReply(List.of(), Ending.FAIL, message);
    }

    public FakeReply thenSays(String text) {
        return with(new Text(text));
    }

    public FakeReply thenCallsTool(String id, String name, String argumentsJson) {
        return with(new Tool(new ToolCall(id, name, argumentsJson)));
    }

    /** After its steps, sends nothing more and never finishes. */
    public FakeReply thenStalls() {
        return new FakeReply(steps, Ending.STALL, "");
    }

    /** After its steps, fails. */
    public FakeReply thenFails(String message) {
        return new FakeReply(steps, Ending.FAIL, message);
    }

    private FakeReply with(Step step) {
        List<Step> more = new ArrayList<>(steps);
        more.add(step);
        return new FakeReply(more, ending, failure);
    }
}
