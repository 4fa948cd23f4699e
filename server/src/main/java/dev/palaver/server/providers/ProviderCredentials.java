package dev.palaver.server.providers;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.palaver.server.audit.AuditLog;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.platform.crypto.SecretBox;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/**
 * An organization's keys for cloud providers, sealed at rest and shown masked. Server-wide defaults come
 * from the environment; an organization's own credential takes precedence.
 */
@Service
public class ProviderCredentials {

    /** Not a provider: the secret that signs the organization's HTTP tool requests (HMAC-SHA256). */
    public static final String HTTP_TOOLS = "http-tools";
    public static final Set<String> PROVIDERS = Set.of("openai", "anthropic", "groq", "deepgram", "elevenlabs",
            HTTP_TOOLS);

    private final JdbcClient jdbc;
    private final SecretBox box;
    private final AuditLog audit;

    ProviderCredentials(JdbcClient jdbc, SecretBox box, AuditLog audit) {
        this.jdbc = jdbc;
        this.box = box;
        this.audit = audit;
    }

    public record CredentialView(String provider, String apiKey, String baseUrl, Instant updatedAt) {
    }

    /** A usable credential, for building a provider; never serialized. */
    public record Credential(String provider, String apiKey, String baseUrl) {
        @Override
        public String toString() {
            return "Credential[" + provider + ", " + SecretBox.mask(apiKey) + ", " + baseUrl + "]";
        }
    }

    public List<CredentialView> list(UUID orgId) {
        return jdbc.sql("select provider, secret_hint, base_url, updated_at from provider_credentials where org_id = ? order by provider")
                .param(orgId)
                .query((rs, i) -> new CredentialView(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant()))
                .list();
    }

    @Transactional
    public CredentialView put(Caller caller, String provider, String apiKey, String baseUrl) {
        requireKnown(provider);
        if (baseUrl != null && !baseUrl.isBlank()) {
            requireHttpUrl(baseUrl);
        }
        String base = baseUrl == null || baseUrl.isBlank() ? null : baseUrl.strip();
        jdbc.sql("""
                insert into provider_credentials (org_id, provider, secret, secret_hint, base_url, updated_by)
                values (?, ?, ?, ?, ?, ?)
                on conflict (org_id, provider) do update set secret = excluded.secret, secret_hint = excluded.secret_hint,
                    base_url = excluded.base_url, updated_by = excluded.updated_by, updated_at = now()""")
                .params(caller.orgId(), provider, box.encrypt(apiKey, context(caller.orgId(), provider)),
                        SecretBox.mask(apiKey), base, caller.userId())
                .update();
        audit.record(caller.orgId(), caller, "provider_credential.set", "provider", provider,
                base == null ? Map.of() : Map.of("baseUrl", base));
        return list(caller.orgId()).stream().filter(c -> c.provider().equals(provider)).findFirst().orElseThrow();
    }

    @Transactional
    public void delete(Caller caller, String provider) {
        requireKnown(provider);
        int n = jdbc.sql("delete from provider_credentials where org_id = ? and provider = ?")
                .params(caller.orgId(), provider).update();
        if (n == 0) {
            throw new ApiException(ErrorCode.NOT_FOUND, "No credential is set for " + provider + ".");
        }
        audit.record(caller.orgId(), caller, "provider_credential.deleted", "provider", provider, Map.of());
    }

    /** The organization's credential for a provider, opened, for use by the call engine. */
    public Optional<Credential> find(UUID orgId, String provider) {
        return jdbc.sql("select secret, base_url from provider_credentials where org_id = ? and provider = ?")
                .params(orgId, provider)
                .query((rs, i) -> new Credential(provider, box.decrypt(rs.getBytes(1), context(orgId, provider)),
                        rs.getString(2)))
                .optional();
    }

    private static String context(UUID orgId, String provider) {
        return "provider_credentials:" + orgId + ":" + provider;
    }

    private static void requireKnown(String provider) {
        if (!PROVIDERS.contains(provider)) {
            throw new ApiException(ErrorCode.NOT_FOUND, "Unknown provider '" + provider + "'; known: "
                    + PROVIDERS.stream().sorted().toList() + ".");
        }
    }

    private static void requireHttpUrl(String url) {
        try {
            URI uri = URI.create(url.strip());
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "baseUrl must be an http(s) URL.");
        }
    }
}
