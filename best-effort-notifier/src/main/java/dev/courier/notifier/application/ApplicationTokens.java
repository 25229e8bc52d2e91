package dev.courier.notifier.application;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import dev.courier.security.TenantTokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * API tokens scoped to one application: {@code cna_} and 256 random bits. Only their SHA-256 digest is stored, so a
 * copy of the database opens nothing; the token itself is shown once, in the answer that issued it. The API's
 * security asks {@link #tenantOf} for every request that presents a token other than the operator's.
 */
public final class ApplicationTokens implements TenantTokens {

    public static final String PREFIX = "cna_";
    private static final Pattern SHAPE = Pattern.compile(Pattern.quote(PREFIX) + "[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final TimeBasedEpochGenerator IDS = Generators.timeBasedEpochGenerator();

    private final JdbcClient jdbc;

    public ApplicationTokens(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A token as listed: never its value. */
    public record TokenInfo(
            UUID id,
            String applicationId,
            String description,
            Instant createdAt,
            Instant expiresAt,
            Instant revokedAt) {}

    /** A token just issued, with its value (shown this once). */
    public record IssuedToken(TokenInfo info, String token) {}

    /**
     * Issues a token for {@code applicationId}.
     *
     * @param expiresAt when it stops working, or null for never (until revoked)
     */
    public IssuedToken issue(String applicationId, String description, Instant expiresAt) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        TokenInfo info = jdbc.sql("INSERT INTO notifier_application_token (id, application_id, digest, description,"
                        + " expires_at) VALUES (?, ?, ?, ?, ?) RETURNING id, application_id, description, created_at,"
                        + " expires_at, revoked_at")
                .params(
                        IDS.generate(),
                        applicationId,
                        digest(token),
                        description,
                        expiresAt == null ? null : Timestamp.from(expiresAt))
                .query((rs, n) -> info(rs))
                .single();
        return new IssuedToken(info, token);
    }

    public List<TokenInfo> list(String applicationId) {
        return jdbc.sql("SELECT id, application_id, description, created_at, expires_at, revoked_at"
                        + " FROM notifier_application_token WHERE application_id = ? ORDER BY created_at, id")
                .param(applicationId)
                .query((rs, n) -> info(rs))
                .list();
    }

    /** @return whether the application had that token and it was not revoked yet */
    public boolean revoke(String applicationId, UUID tokenId) {
        return jdbc.sql("UPDATE notifier_application_token SET revoked_at = now() WHERE application_id = ? AND id = ?"
                                + " AND revoked_at IS NULL")
                        .params(applicationId, tokenId)
                        .update()
                > 0;
    }

    /** A token of another shape is no application token and costs no query. */
    @Override
    public Optional<String> tenantOf(String token) {
        if (token == null || !SHAPE.matcher(token).matches()) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT application_id FROM notifier_application_token WHERE digest = ?"
                        + " AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())")
                .param(digest(token))
                .query(String.class)
                .optional();
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static TokenInfo info(ResultSet rs) throws SQLException {
        return new TokenInfo(
                rs.getObject("id", UUID.class),
                rs.getString("application_id"),
                rs.getString("description"),
                rs.getTimestamp("created_at").toInstant(),
                instant(rs.getTimestamp("expires_at")),
                instant(rs.getTimestamp("revoked_at")));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
