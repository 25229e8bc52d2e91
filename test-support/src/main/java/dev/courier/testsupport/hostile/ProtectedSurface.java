package dev.courier.testsupport.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Assertions over every {@linkplain HostilePaths spelling} of a path of a service on 127.0.0.1: that none is served
 * without credentials, and that none costs a server error with them.
 */
public record ProtectedSurface(int port, Map<String, String> credentials) {

    /**
     * Without credentials, every spelling of {@code method path} answers 400 or 401, and its body contains none of
     * {@code secrets} (texts only a served answer would hold).
     */
    public void assertNeedsCredentials(String method, String path, int randomSpellings, String... secrets) {
        byte[] body = method.equals("GET") ? null : new byte[0];
        for (String spelling : HostilePaths.spellings(path, randomSpellings, path.hashCode())) {
            RawHttp.Answer answer = send(method, spelling, Map.of(), body);
            assertThat(answer.status())
                    .as("%s %s without credentials answered %s", method, spelling, answer.body())
                    .isIn(400, 401);
            for (String secret : secrets) {
                assertThat(answer.body()).as("%s %s", method, spelling).doesNotContain(secret);
            }
        }
        assertThat(send(method, path, Map.of(), body).status()).as(path).isEqualTo(401);
    }

    /** With credentials, no spelling of {@code GET path} answers 5xx. */
    public void assertNoServerError(String path, int randomSpellings) {
        for (String spelling : HostilePaths.spellings(path, randomSpellings, ~path.hashCode())) {
            RawHttp.Answer answer = send("GET", spelling, credentials, null);
            assertThat(answer.status())
                    .as("GET %s with credentials answered %s", spelling, answer.body())
                    .isLessThan(500);
        }
    }

    private RawHttp.Answer send(String method, String target, Map<String, String> headers, byte[] body) {
        try {
            return RawHttp.send(port, method, target, headers, body);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + target, e);
        }
    }
}
