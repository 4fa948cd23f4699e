package dev.palaver.server.agents;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.palaver.server.identity.Access;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.Role;
import dev.palaver.server.identity.Scopes;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;
import dev.palaver.server.platform.web.Page;
import dev.palaver.server.platform.web.Problems;

/**
 * Agents over HTTP. Viewers (and API keys with agents:read) read; admins (and keys with agents:write)
 * change, because an agent is what the organization's phone lines say. An agent is shown as its current
 * definition plus {@code id}, {@code version}, {@code createdAt} and {@code updatedAt}, with the version as
 * its entity tag; PUT replaces the whole definition and takes {@code If-Match} for optimistic concurrency.
 */
@RestController
@RequestMapping("/api/v1/agents")
class AgentsController {

    private static final Pattern ENTITY_TAG = Pattern.compile("\"([0-9]{1,9})\"|([0-9]{1,9})");

    private final Agents agents;
    private final ObjectMapper json;

    AgentsController(Agents agents, ObjectMapper json) {
        this.agents = agents;
        this.json = json;
    }

    @GetMapping
    @Access(role = Role.VIEWER, scope = Scopes.AGENTS_READ)
    Page<Agents.Summary> list(Caller caller, @RequestParam(required = false) String cursor,
                              @RequestParam(required = false) Integer limit) {
        return agents.list(caller.orgId(), cursor, limit);
    }

    @PostMapping
    @Access(role = Role.ADMIN, scope = Scopes.AGENTS_WRITE)
    @DefinitionBody
    ResponseEntity<ObjectNode> create(Caller caller, @RequestBody JsonNode body) {
        Agents.Stored created = agents.create(caller, definition(body));
        return ResponseEntity.created(URI.create("/api/v1/agents/" + created.id()))
                .eTag(tag(created.version())).body(view(created));
    }

    @GetMapping("/{id}")
    @Access(role = Role.VIEWER, scope = Scopes.AGENTS_READ)
    ResponseEntity<ObjectNode> get(Caller caller, @PathVariable UUID id) {
        Agents.Stored agent = agents.get(caller.orgId(), id);
        return ResponseEntity.ok().eTag(tag(agent.version())).body(view(agent));
    }

    /** Replaces the definition (a new version). {@code If-Match: "3"} makes it fail with 409 unless the agent is at version 3. */
    @PutMapping("/{id}")
    @Access(role = Role.ADMIN, scope = Scopes.AGENTS_WRITE)
    @DefinitionBody
    ResponseEntity<ObjectNode> update(Caller caller, @PathVariable UUID id,
                                      @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                      @RequestBody JsonNode body) {
        Integer expected = expectedVersion(ifMatch);
        Agents.Stored updated = agents.update(caller, id, definition(body), expected);
        return ResponseEntity.ok().eTag(tag(updated.version())).body(view(updated));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(role = Role.ADMIN, scope = Scopes.AGENTS_WRITE)
    void delete(Caller caller, @PathVariable UUID id) {
        agents.delete(caller, id);
    }

    @GetMapping("/{id}/versions")
    @Access(role = Role.VIEWER, scope = Scopes.AGENTS_READ)
    Page<Agents.VersionSummary> versions(Caller caller, @PathVariable UUID id,
                                         @RequestParam(required = false) String cursor,
                                         @RequestParam(required = false) Integer limit) {
        return agents.versions(caller.orgId(), id, cursor, limit);
    }

    /** One version: {agentId, version, createdAt, createdByUser?, createdByApiKey?, definition}. */
    @GetMapping("/{id}/versions/{version}")
    @Access(role = Role.VIEWER, scope = Scopes.AGENTS_READ)
    ObjectNode version(Caller caller, @PathVariable UUID id, @PathVariable int version) {
        AgentVersion v = agents.version(caller.orgId(), id, version);
        ObjectNode out = json.createObjectNode();
        out.put("agentId", v.agentId().toString());
        out.put("version", v.version());
        out.put("createdAt", v.createdAt().toString());
        if (v.createdByUser() != null) {
            out.put("createdByUser", v.createdByUser().toString());
        }
        if (v.createdByApiKey() != null) {
            out.put("createdByApiKey", v.createdByApiKey().toString());
        }
        out.set("definition", json.valueToTree(v.definition()));
        return out;
    }

    @ExceptionHandler(InvalidAgentException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidAgentException e, HttpServletRequest request) {
        List<Map<String, String>> errors = e.errors().stream()
                .map(f -> Map.of("field", f.field(), "message", f.message())).toList();
        ProblemDetail body = Problems.withFieldErrors(Problems.of(e.code(), e.getMessage(), request), errors);
        return ResponseEntity.status(e.code().status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    private static AgentDefinition definition(JsonNode body) {
        AgentDefinitionReader.Result result = AgentDefinitionReader.read(body);
        if (!result.valid()) {
            throw InvalidAgentException.invalid(result.errors());
        }
        return result.definition();
    }

    private ObjectNode view(Agents.Stored agent) {
        ObjectNode out = json.createObjectNode();
        out.put("id", agent.id().toString());
        out.put("version", agent.version());
        ObjectNode definition = json.valueToTree(agent.definition());
        definition.properties().forEach(p -> out.set(p.getKey(), p.getValue()));
        out.put("createdAt", agent.createdAt().toString());
        out.put("updatedAt", agent.updatedAt().toString());
        return out;
    }

    private static String tag(int version) {
        return "\"" + version + "\"";
    }

    /** The version an If-Match header asks for; null when absent or {@code *} (any current version). */
    static Integer expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return null;
        }
        var m = ENTITY_TAG.matcher(ifMatch.strip());
        if (!m.matches()) {
            throw new ApiException(ErrorCode.BAD_REQUEST,
                    "If-Match must be the agent's version as an entity tag, e.g. If-Match: \"3\".");
        }
        return Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
    }

    /**
     * The request body in the API description. The body is read as a JSON tree, so that every field error
     * can be reported with its path, but it has the shape of {@link AgentDefinition}.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = AgentDefinition.class)))
    @interface DefinitionBody {
    }
}
