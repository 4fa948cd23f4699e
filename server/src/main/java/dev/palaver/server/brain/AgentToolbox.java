package dev.palaver.server.brain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import dev.palaver.media.llm.ToolCall;
import dev.palaver.media.llm.ToolDefinition;
import dev.palaver.media.llm.ToolExecutor;
import dev.palaver.media.llm.ToolResult;
import dev.palaver.server.agents.AgentDefinition.HttpTool;
import dev.palaver.server.agents.AgentTools;
import dev.palaver.server.platform.web.ApiException;

/**
 * The tools of one conversation: the built-in ones the agent lists, then its HTTP tools. Arguments are
 * parsed and checked against the tool's schema first; whatever goes wrong (bad arguments, a refusal, a
 * failure) comes back as an error result for the model to read, never as an exception into the call.
 * Results are JSON objects; refusals carry {@code error}, {@code message} and {@code retry} (arguments to
 * ask for again).
 */
final class AgentToolbox implements ToolExecutor {

    private static final Logger log = LoggerFactory.getLogger(AgentToolbox.class);

    private final ToolContext ctx;
    private final BuiltInTools builtIns;
    private final HttpTools httpTools;
    private final ObjectMapper json;
    private final ExecutorService executor;
    private final Map<String, ToolDefinition> definitions = new LinkedHashMap<>();
    private final Map<String, JsonNode> schemas = new LinkedHashMap<>();

    AgentToolbox(ToolContext ctx, BuiltInTools builtIns, HttpTools httpTools, ObjectMapper json, ExecutorService executor) {
        this.ctx = ctx;
        this.builtIns = builtIns;
        this.httpTools = httpTools;
        this.json = json;
        this.executor = executor;
        for (String name : ctx.agent().tools()) {
            add(BuiltInTools.definition(name));
        }
        for (HttpTool tool : ctx.agent().httpTools()) {
            add(httpTools.definition(tool));
        }
    }

    private void add(ToolDefinition definition) {
        definitions.put(definition.name(), definition);
        schemas.put(definition.name(), json.readTree(definition.parametersSchema()));
    }

    @Override
    public List<ToolDefinition> definitions() {
        return List.copyOf(definitions.values());
    }

    @Override
    public CompletableFuture<ToolResult> execute(ToolCall call) {
        if (!definitions.containsKey(call.name())) {
            return CompletableFuture.completedFuture(failure("unknown_tool", "There is no tool named " + call.name()
                    + ". The tools are " + definitions.keySet() + ".", List.of(), null));
        }
        JsonNode args;
        try {
            args = call.argumentsJson().isBlank() ? json.createObjectNode() : json.readTree(call.argumentsJson());
        } catch (JacksonException e) {
            return CompletableFuture.completedFuture(failure("invalid_arguments",
                    "The arguments are not valid JSON. Call " + call.name() + " again with a JSON object.", List.of(), null));
        }
        List<String> problems = JsonSchemas.validate(schemas.get(call.name()), args);
        if (!problems.isEmpty()) {
            return CompletableFuture.completedFuture(failure("invalid_arguments", "Invalid arguments for "
                    + call.name() + ": " + String.join("; ", problems) + ". Call it again with corrected arguments.",
                    List.of(), null));
        }
        return CompletableFuture.supplyAsync(() -> run(call, args), executor);
    }

    private ToolResult run(ToolCall call, JsonNode args) {
        try {
            if (AgentTools.BUILT_IN.contains(call.name())) {
                Map<String, Object> out = builtIns.run(call.name(), args, ctx);
                String content = json.writeValueAsString(out);
                return AgentTools.END_CALL.equals(call.name()) ? ToolResult.endCall(content) : ToolResult.ok(content);
            }
            HttpTool tool = ctx.agent().httpTool(call.name()).orElseThrow();
            return httpTools.call(tool, json.writeValueAsString(args), ctx);
        } catch (ToolFailure f) {
            return failure(f.code(), f.getMessage(), f.retry(), f.details());
        } catch (ApiException e) {
            return failure(e.code().wire(), e.getMessage(), List.of(), null);
        } catch (RuntimeException e) {
            log.warn("Tool {} failed for organization {}", call.name(), ctx.orgId(), e);
            return failure("tool_failed", "The tool failed unexpectedly.", List.of(), null);
        }
    }

    private ToolResult failure(String code, String message, List<String> retry, Object details) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", code);
        out.put("message", message);
        out.put("retry", new ArrayList<>(retry));
        if (details != null) {
            out.put("alternatives", details);
        }
        return ToolResult.error(json.writeValueAsString(out));
    }
}
