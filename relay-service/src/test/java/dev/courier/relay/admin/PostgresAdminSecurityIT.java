package dev.courier.relay.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.outbox.Database;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.relay.support.RelayInstance;
import dev.courier.testsupport.database.TestDatabaseExtension;
import dev.courier.testsupport.hostile.ProtectedSurface;
import dev.courier.testsupport.hostile.RawHttp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The relay's HTTP surface from an attacker's side: no spelling of a protected path, no malformed credential and no
 * method opens the admin API or the actuator without the token; only the health status and probes are open.
 */
class PostgresAdminSecurityIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final List<String> PROTECTED = List.of(
            "/admin/status",
            "/admin/parked",
            "/admin/leases",
            "/admin/backlog",
            "/admin/published",
            "/actuator/prometheus",
            "/actuator/metrics",
            "/actuator/env",
            "/actuator/beans",
            "/actuator/health/db",
            "/actuator/health/relay");

    static RelayInstance relay;

    @BeforeAll
    static void start() {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        relay = RelayInstance.start(DB.database(), "security", Map.of());
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    static ProtectedSurface surface() {
        return new ProtectedSurface(relay.port(), Map.of("Authorization", "Bearer " + RelayInstance.TOKEN));
    }

    @Test
    void everySpellingOfAProtectedPathNeedsTheToken() {
        for (String path : PROTECTED) {
            surface().assertNeedsCredentials("GET", path, 40, "\"paused\"", "jvm_", "partition");
        }
    }

    @Test
    void noSpellingOfAnAdminCommandRunsItWithoutTheToken() throws Exception {
        for (String command : List.of("/admin/pause", "/admin/parked/00000000-0000-0000-0000-000000000001/skip")) {
            for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
                surface().assertNeedsCredentials(method, command, 20);
            }
        }
        assertThat(relay.get("/admin/status", RelayInstance.TOKEN).body()).contains("\"paused\":false");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Bearer wrong-token-0123456789",
                "Bearer RELAY-TEST-TOKEN-0123456789",
                "Bearer ",
                "Bearer",
                "Basic cmVsYXk6cmVsYXktdGVzdC10b2tlbi0wMTIzNDU2Nzg5",
                "relay-test-token-0123456789",
                "Bearer relay-test-token-012345678",
                "Bearer relay-test-token-0123456789x",
                "Bearer relay-test-token-0123456789\u0000"
            })
    void aMalformedOrWrongCredentialIsRefused(String authorization) throws Exception {
        RawHttp.Answer answer =
                RawHttp.send(relay.port(), "GET", "/admin/status", Map.of("Authorization", authorization), null);

        assertThat(answer.status()).isIn(400, 401);
        assertThat(answer.body()).doesNotContain("paused");
    }

    @Test
    void theTokenTwiceInTwoHeadersIsRefused() throws Exception {
        String twice = "Bearer " + RelayInstance.TOKEN + "\r\nAuthorization: Bearer " + RelayInstance.TOKEN;

        assertThat(RawHttp.send(relay.port(), "GET", "/admin/status", Map.of("Authorization", twice), null)
                        .status())
                .isEqualTo(401);
    }

    @Test
    void theHealthProbesAreOpenAndTheDetailsNeedTheToken() throws Exception {
        assertThat(relay.get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        assertThat(relay.get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
        var open = relay.get("/actuator/health", null);
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.body()).contains("\"status\":\"UP\"").doesNotContain("components");

        assertThat(relay.get("/actuator/health", RelayInstance.TOKEN).body()).contains("\"components\"");
        assertThat(relay.get("/actuator/prometheus", RelayInstance.TOKEN).statusCode())
                .isEqualTo(200);
    }

    @Test
    void withTheTokenNoSpellingCostsAServerError() {
        for (String path : PROTECTED) {
            surface().assertNoServerError(path, 10);
        }
    }
}
