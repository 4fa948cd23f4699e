package dev.palaver.server.identity;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** Signs and verifies short-lived access tokens (JWT, HS256, with {@code kid}). */
final class AccessTokens {

    static final Duration TTL = Duration.ofMinutes(15);
    private static final String ISSUER = "palaver";

    private final SigningKeys keys;
    private final Clock clock;

    AccessTokens(SigningKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** The claims of a valid token. */
    record Claims(UUID tokenId, UUID userId, UUID orgId, Role role, UUID sessionId, Instant issuedAt, Instant expiresAt) {
    }

    String issue(UUID userId, UUID orgId, Role role, UUID sessionId) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(userId.toString())
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(TTL)))
                .claim("org", orgId.toString())
                .claim("role", role.wire())
                .claim("sid", sessionId.toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
                .type(JOSEObjectType.JWT).keyID(keys.currentKid()).build(), claims);
        try {
            jwt.sign(new MACSigner(keys.current()));
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign an access token", e);
        }
        return jwt.serialize();
    }

    /** The token's claims when its signature, algorithm, issuer and lifetime are all right; empty otherwise. */
    Optional<Claims> verify(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
                return Optional.empty();
            }
            byte[] key = keys.forKid(jwt.getHeader().getKeyID());
            if (key == null || !jwt.verify(new MACVerifier(key))) {
                return Optional.empty();
            }
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            Instant now = clock.instant();
            if (!ISSUER.equals(c.getIssuer()) || c.getExpirationTime() == null || c.getIssueTime() == null
                    || !now.isBefore(c.getExpirationTime().toInstant())
                    || c.getIssueTime().toInstant().isAfter(now.plusSeconds(60))) {
                return Optional.empty();
            }
            return Optional.of(new Claims(UUID.fromString(c.getJWTID()), UUID.fromString(c.getSubject()),
                    UUID.fromString(c.getStringClaim("org")), Role.fromWire(c.getStringClaim("role")),
                    UUID.fromString(c.getStringClaim("sid")), c.getIssueTime().toInstant(),
                    c.getExpirationTime().toInstant()));
        } catch (ParseException | JOSEException | IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
