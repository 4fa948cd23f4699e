package dev.palaver.server.identity;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.palaver.server.platform.config.PalaverProperties;
import dev.palaver.server.platform.db.Ids;

/**
 * On the very first start (no user at all) creates the first organization and its owner, from
 * {@code PALAVER_ADMIN_EMAIL}/{@code PALAVER_ADMIN_PASSWORD} or with a generated password. Later starts
 * change nothing. Several nodes starting at once on an empty database create one owner.
 */
@Component
@Order(0)
public final class FirstOwner implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(FirstOwner.class);
    private static final long BOOTSTRAP_LOCK = 0x70616c61766572L;
    public static final String FIRST_ORGANIZATION = "My organization";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final PasswordEncoder passwords;
    private final PalaverProperties props;
    private volatile FirstLogin created;

    FirstOwner(JdbcClient jdbc, TransactionTemplate tx, PasswordEncoder passwords, PalaverProperties props) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.passwords = passwords;
        this.props = props;
    }

    /** What to tell the operator, only when this start created the owner. */
    public record FirstLogin(String email, String generatedPassword, UUID orgId) {
    }

    @Override
    public void run(ApplicationArguments args) {
        created = tx.execute(status -> {
            jdbc.sql("select pg_advisory_xact_lock(?)").param(BOOTSTRAP_LOCK).query().singleValue();
            long users = jdbc.sql("select count(*) from users").query(Long.class).single();
            if (users > 0) {
                return null;
            }
            String email = props.admin().email();
            String configured = props.admin().password();
            boolean generate = configured == null || configured.isBlank();
            String password = generate ? generatePassword() : configured;
            UUID orgId = Ids.newId();
            UUID userId = Ids.newId();
            jdbc.sql("insert into organizations (id, name) values (?, ?)").params(orgId, FIRST_ORGANIZATION).update();
            jdbc.sql("insert into users (id, email, password_hash) values (?, ?, ?)")
                    .params(userId, email, passwords.encode(password)).update();
            jdbc.sql("insert into memberships (org_id, user_id, role) values (?, ?, 'owner')")
                    .params(orgId, userId).update();
            log.info("Created the first organization {} and its owner", orgId);
            return new FirstLogin(email, generate ? password : null, orgId);
        });
    }

    public Optional<FirstLogin> createdThisStart() {
        return Optional.ofNullable(created);
    }

    private static String generatePassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            if (i > 0 && i % 5 == 0) {
                s.append('-');
            }
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
