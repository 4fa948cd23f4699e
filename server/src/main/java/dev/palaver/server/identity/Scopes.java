package dev.palaver.server.identity;

import java.util.Set;

/** What an API key may be allowed to do. A key carries a subset; each endpoint names the one it needs. */
public final class Scopes {
    public static final String CALLS_READ = "calls:read";
    public static final String CALLS_WRITE = "calls:write";
    public static final String AGENTS_READ = "agents:read";
    public static final String AGENTS_WRITE = "agents:write";
    public static final String KNOWLEDGE_READ = "knowledge:read";
    public static final String KNOWLEDGE_WRITE = "knowledge:write";
    public static final String CUSTOMERS_READ = "customers:read";
    public static final String CUSTOMERS_WRITE = "customers:write";
    public static final String TELEPHONY_WRITE = "telephony:write";

    public static final Set<String> ALL = Set.of(CALLS_READ, CALLS_WRITE, AGENTS_READ, AGENTS_WRITE, KNOWLEDGE_READ,
            KNOWLEDGE_WRITE, CUSTOMERS_READ, CUSTOMERS_WRITE, TELEPHONY_WRITE);

    private Scopes() {
    }
}
