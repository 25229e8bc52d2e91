package dev.courier.notifier.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.notifier.support.NotifierExtension;
import dev.courier.notifier.support.NotifierInstance;
import dev.courier.testsupport.hostile.ProtectedSurface;
import dev.courier.testsupport.hostile.RawHttp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The notifier's HTTP surface from an attacker's side: no spelling of an API or actuator path is served without the
 * token, no spelling of a write stores anything, and only the health status and probes are open.
 */
class PostgresApiSecurityIT {

    @RegisterExtension
    static final NotifierExtension notifier = NotifierExtension.postgres("security-it");

    static final List<String> PROTECTED = List.of(
            "/api/endpoints/00000000-0000-0000-0000-000000000001",
            "/api/notifications/00000000-0000-0000-0000-000000000001",
            "/api/endpoints/00000000-0000-0000-0000-000000000001/events",
            "/api/endpoints/00000000-0000-0000-0000-000000000001/health",
            "/actuator/prometheus",
            "/actuator/metrics",
            "/actuator/env",
            "/actuator/health/db",
            "/actuator/health/notifier");

    static ProtectedSurface surface() {
        return new ProtectedSurface(notifier.port(), Map.of("Authorization", "Bearer " + NotifierInstance.TOKEN));
    }

    @Test
    void everySpellingOfAProtectedPathNeedsTheToken() {
        for (String path : PROTECTED) {
            surface().assertNeedsCredentials("GET", path, 30, "jvm_", "\"url\"");
        }
    }

    @Test
    void noSpellingOfAWriteStoresAnythingWithoutTheToken() {
        for (String path : List.of("/api/endpoints", "/api/notifications", "/api/recoveries")) {
            surface().assertNeedsCredentials("POST", path, 20);
        }
        JdbcClient jdbc = JdbcClient.create(notifier.dataSource());
        assertThat(notifier.jdbc()
                        .sql("SELECT count(*) FROM notifier_endpoint")
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(notifier.jdbc()
                        .sql("SELECT count(*) FROM notifier_notification")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void theHealthProbesAreOpenAndTheDetailsNeedTheToken() throws Exception {
        for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
            assertThat(RawHttp.send(notifier.port(), "GET", probe, Map.of(), null)
                            .status())
                    .as(probe)
                    .isEqualTo(200);
        }
        RawHttp.Answer open = RawHttp.send(notifier.port(), "GET", "/actuator/health", Map.of(), null);
        assertThat(open.status()).isEqualTo(200);
        assertThat(open.body()).contains("\"status\":\"UP\"").doesNotContain("components");
        assertThat(RawHttp.send(
                                notifier.port(),
                                "GET",
                                "/actuator/health",
                                surface().credentials(),
                                null)
                        .body())
                .contains("\"components\"");
    }

    @Test
    void withTheTokenNoSpellingCostsAServerError() {
        for (String path : PROTECTED) {
            surface().assertNoServerError(path, 10);
        }
    }
}
