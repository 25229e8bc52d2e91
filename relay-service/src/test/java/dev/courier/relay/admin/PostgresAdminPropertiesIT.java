package dev.courier.relay.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.outbox.Database;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.relay.support.RelayInstance;
import dev.courier.testsupport.database.TestDatabaseExtension;
import dev.courier.testsupport.hostile.HostileValues;
import dev.courier.testsupport.hostile.RawHttp;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of the admin API under generated hostile parameters and ids (see {@link HostileValues}): never a 5xx,
 * a refusal is a problem, and no command on a message that does not exist changes anything. Each sample is one seed;
 * {@code -Dcourier.test.seed=<seed>} runs a failing one again first.
 */
class PostgresAdminPropertiesIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static RelayInstance relay;

    static Stream<Long> seeds() {
        return HostileValues.seeds(Integer.getInteger("courier.test.samples", 150));
    }

    @BeforeAll
    static void start() {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        relay = RelayInstance.start(DB.database(), "properties", Map.of("courier.relay.outbox.retention", "1h"));
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    static RawHttp.Answer send(String method, String target) {
        try {
            return RawHttp.send(
                    relay.port(),
                    method,
                    target,
                    Map.of("Authorization", "Bearer " + RelayInstance.TOKEN),
                    method.equals("GET") ? null : new byte[0]);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + target + " got no answer", e);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void hostileParametersAndIdsNeverCostAServerError(long seed) throws Exception {
        Random random = new Random(seed);
        String value = URLEncoder.encode(HostileValues.text(random), StandardCharsets.UTF_8);
        String other = URLEncoder.encode(HostileValues.text(random), StandardCharsets.UTF_8);
        List<String[]> calls = List.of(
                new String[] {"GET", "/admin/parked?status=" + value + "&limit=" + other},
                new String[] {"GET", "/admin/parked?limit=" + value},
                new String[] {"GET", "/admin/parked/" + value},
                new String[] {"GET", "/admin/published?aggregateType=" + value + "&aggregateId=" + other},
                new String[] {"GET", "/admin/published?aggregateType=" + value},
                new String[] {"GET", "/admin/published?aggregateType=a&aggregateId=b&limit=" + value},
                new String[] {"POST", "/admin/parked/" + value + "/replay"},
                new String[] {"POST", "/admin/parked/" + value + "/skip"});
        for (String[] call : calls) {
            RawHttp.Answer answer = send(call[0], call[1]);
            assertThat(answer.status())
                    .as("seed %d: %s %s answered %s", seed, call[0], call[1], answer.body())
                    .isLessThan(500);
            if (answer.status() >= 400 && !answer.body().isEmpty()) {
                boolean problem = answer.body().contains("\"status\":" + answer.status());
                boolean refusedByTomcat =
                        answer.status() == 400 && answer.body().startsWith("<!doctype html>");
                assertThat(problem || refusedByTomcat)
                        .as("seed %d: a refusal is a problem, was %s", seed, answer.body())
                        .isTrue();
            }
        }
        assertThat(relay.get("/admin/parked?status=SKIPPED", RelayInstance.TOKEN)
                        .body())
                .as("seed %d: nothing was skipped", seed)
                .isEqualTo("[]");
    }
}
