package dev.palaver.server.telephony;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.palaver.server.audit.AuditLog;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.platform.crypto.SecretBox;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/**
 * Each organization's Twilio account: its Account SID, its auth token (encrypted at rest with
 * {@link SecretBox}, shown only masked) and, for tests and proxies, the base URL of Twilio's REST API.
 */
@Service
class TwilioAccounts {

    private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-fA-F]{32}");

    /** An account, opened, for signing checks and REST calls. */
    record Account(UUID orgId, String accountSid, String authToken, URI apiBaseUrl) {
        @Override
        public String toString() {
            return "Account[" + orgId + ", " + accountSid + ", " + SecretBox.mask(authToken) + ", " + apiBaseUrl + "]";
        }
    }

    /** What the API shows: the token masked. */
    record View(String accountSid, String authToken, String apiBaseUrl, Instant updatedAt) {
    }

    private final JdbcClient jdbc;
    private final SecretBox box;
    private final AuditLog audit;

    TwilioAccounts(JdbcClient jdbc, SecretBox box, AuditLog audit) {
        this.jdbc = jdbc;
        this.box = box;
        this.audit = audit;
    }

    @Transactional
    View put(Caller caller, String accountSid, String authToken, String apiBaseUrl) {
        if (accountSid == null || !ACCOUNT_SID.matcher(accountSid.strip()).matches()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "accountSid must be AC followed by 32 hex digits.");
        }
        if (authToken == null || authToken.isBlank() || authToken.length() > 200) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "authToken is required (at most 200 characters).");
        }
        String base = apiBaseUrl == null || apiBaseUrl.isBlank() ? null : baseUrl(apiBaseUrl.strip()).toString();
        String sid = accountSid.strip();
        Optional<UUID> owner = jdbc.sql("select org_id from twilio_accounts where account_sid = ?").param(sid)
                .query(UUID.class).optional();
        if (owner.isPresent() && !owner.get().equals(caller.orgId())) {
            throw new ApiException(ErrorCode.CONFLICT, "This Twilio account belongs to another organization.");
        }
        jdbc.sql("""
                insert into twilio_accounts (org_id, account_sid, auth_token, token_hint, api_base_url)
                values (?, ?, ?, ?, ?)
                on conflict (org_id) do update set account_sid = excluded.account_sid, auth_token = excluded.auth_token,
                    token_hint = excluded.token_hint, api_base_url = excluded.api_base_url, updated_at = now()""")
                .params(caller.orgId(), sid, box.encrypt(authToken.strip(), context(caller.orgId())),
                        SecretBox.mask(authToken.strip()), base)
                .update();
        audit.record(caller.orgId(), caller, "telephony.twilio.set", "twilio_account", sid,
                base == null ? Map.of() : Map.of("apiBaseUrl", base));
        return view(caller.orgId()).orElseThrow();
    }

    Optional<View> view(UUID orgId) {
        return jdbc.sql("select account_sid, token_hint, api_base_url, updated_at from twilio_accounts where org_id = ?")
                .param(orgId)
                .query((rs, n) -> new View(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()))
                .optional();
    }

    Optional<Account> find(UUID orgId) {
        return jdbc.sql("select org_id, account_sid, auth_token, api_base_url from twilio_accounts where org_id = ?")
                .param(orgId).query((rs, n) -> account(rs.getObject(1, UUID.class), rs.getString(2), rs.getBytes(3),
                        rs.getString(4))).optional();
    }

    Optional<Account> findBySid(String accountSid) {
        if (accountSid == null || !ACCOUNT_SID.matcher(accountSid).matches()) {
            return Optional.empty();
        }
        return jdbc.sql("select org_id, account_sid, auth_token, api_base_url from twilio_accounts where account_sid = ?")
                .param(accountSid).query((rs, n) -> account(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getBytes(3), rs.getString(4))).optional();
    }

    private Account account(UUID orgId, String sid, byte[] token, String base) {
        return new Account(orgId, sid, box.decrypt(token, context(orgId)), base == null ? null : URI.create(base));
    }

    /** scheme://host[:port] only: the SDK's paths go under it unchanged. */
    static URI baseUrl(String value) {
        try {
            URI uri = URI.create(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))
                    || uri.getQuery() != null || uri.getUserInfo() != null) {
                throw new IllegalArgumentException();
            }
            return URI.create(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : ""));
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED,
                    "apiBaseUrl must be an http(s) URL with no path, e.g. https://api.twilio.com.");
        }
    }

    private static String context(UUID orgId) {
        return "twilio_accounts:" + orgId;
    }
}
