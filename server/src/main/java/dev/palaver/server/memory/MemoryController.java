package dev.palaver.server.memory;

import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.palaver.server.identity.Access;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.Role;
import dev.palaver.server.identity.Scopes;
import dev.palaver.server.memory.CallerMemories.Memory;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/**
 * What agents remember about a caller ({@code callerId}: an E.164 number such as {@code +14155550100}, or
 * {@code web:<userId>}). Reading needs viewer (customers:read); changing and forgetting need member
 * (customers:write).
 */
@RestController
@Tag(name = "Caller memory")
class MemoryController {

    private final CallerMemories memories;

    MemoryController(CallerMemories memories) {
        this.memories = memories;
    }

    record MemoryBody(Map<String, String> facts, String summary) {
    }

    @GetMapping("/api/v1/memories/{callerId}")
    @Access(role = Role.VIEWER, scope = Scopes.CUSTOMERS_READ)
    @Operation(summary = "What agents remember about a caller: facts and a rolling summary")
    Memory get(Caller caller, @PathVariable String callerId) {
        CallerMemories.requireCallerId(callerId);
        return memories.find(caller.orgId(), callerId)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "Nothing is remembered about this caller."));
    }

    @PutMapping("/api/v1/memories/{callerId}")
    @Access(role = Role.MEMBER, scope = Scopes.CUSTOMERS_WRITE)
    @Operation(summary = "Replace what is remembered about a caller")
    Memory put(Caller caller, @PathVariable String callerId, @RequestBody MemoryBody body) {
        return memories.put(caller.orgId(), callerId, body.facts(), body.summary());
    }

    @DeleteMapping("/api/v1/memories/{callerId}")
    @Access(role = Role.MEMBER, scope = Scopes.CUSTOMERS_WRITE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Forget a caller")
    void delete(Caller caller, @PathVariable String callerId) {
        memories.delete(caller.orgId(), callerId);
    }
}
