package dev.courier.relay.admin;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.courier.localservices.kafka.EmbeddedKafka;
import dev.courier.outbox.Database;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.OutboxMessage;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.relay.support.RelayInstance;
import dev.courier.relay.support.ReplicationSlots;
import dev.courier.relay.support.TopicReader;
import dev.courier.testsupport.browser.BrowserExtension;
import dev.courier.testsupport.browser.ConsolePage;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The relay's console in headless Chromium against a real relay, PostgreSQL and Kafka (topics are named by the
 * aggregate type: {@code outbox.event.<aggregate type>}): an operator signs in, sees a message the broker refuses appear among the parked ones with its error and payload, lets the topic take it,
 * replays it from the page and finds it on the topic; skips several at once; pauses and resumes; reads the
 * partitions' leases and backlog and the published history of an aggregate.
 */
class PostgresRelayConsoleBrowserIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    @RegisterExtension
    static final BrowserExtension browser = new BrowserExtension();

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final String TYPE = "console-" + UUID.randomUUID().toString().substring(0, 8);
    static final String TOPIC = "outbox.event." + TYPE;

    static Outbox outbox;
    static RelayInstance relay;

    @BeforeAll
    static void relayWithAStrictTopic() throws Exception {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        outbox = Outbox.builder(DB.dataSource()).build();
        // The broker refuses records over 2,000 bytes on this topic: such a message is charged attempts and parked.
        try (Admin admin = admin()) {
            admin.createTopics(Set.of(new NewTopic(TOPIC, TopicReader.PARTITIONS, (short) 1)
                            .configs(Map.of("max.message.bytes", "2000"))))
                    .all()
                    .get();
        }
        relay = RelayInstance.start(
                DB.database(),
                "console-relay",
                Map.of(
                        "courier.relay.failure.max-attempts", "2",
                        "courier.relay.failure.backoff-initial", "100ms",
                        "courier.relay.outbox.retention", "1h"));
    }

    @AfterAll
    static void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafka.bootstrapServers()));
    }

    String console() {
        return "http://127.0.0.1:" + relay.port() + "/console/";
    }

    Page signedIn() {
        Page page = browser.page(BrowserExtension.LAPTOP);
        ConsolePage.signIn(page, console(), RelayInstance.TOKEN);
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Relay console-relay")))
                .isVisible();
        return page;
    }

    @Test
    void aParkedMessageAppearsIsReplayedFromThePageAndReachesKafka() throws Exception {
        try (TopicReader reader = new TopicReader(TOPIC)) {
            Page page = signedIn();
            page.getByRole(AriaRole.NAVIGATION)
                    .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Parked"))
                    .click();
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Parked messages")))
                    .isVisible();

            String payload = "{\"order\":\"o-1\",\"note\":\"" + incompressible(5000) + "\"}";
            UUID poison = publish("order-1", payload);
            // The page refreshes itself: the message appears once the relay has parked it.
            Locator row = page.locator("tr[data-parked='" + poison + "']");
            assertThat(row).containsText("RecordTooLarge");
            assertThat(row).containsText("order-1");
            assertThat(row.locator("td").nth(6)).hasText("2");
            row.getByText(payload.length() + " bytes").click();
            assertThat(row.locator("pre")).containsText("{\"order\":\"o-1\"");
            BrowserExtension.screenshot(page, SCREENSHOTS.resolve("relay-console-parked.png"));

            // The operator lets the topic take the record, then replays it from the page.
            try (Admin admin = admin()) {
                admin.incrementalAlterConfigs(Map.of(
                                new ConfigResource(ConfigResource.Type.TOPIC, TOPIC),
                                List.of(new AlterConfigOp(
                                        new ConfigEntry("max.message.bytes", "1048588"), AlterConfigOp.OpType.SET))))
                        .all()
                        .get();
            }
            row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Replay " + poison))
                    .click();
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("1 replayed");
            List<ConsumerRecord<byte[], byte[]>> records = reader.awaitAtLeast(1, Duration.ofSeconds(30));
            assertThat(new String(records.getFirst().value(), StandardCharsets.UTF_8))
                    .isEqualTo(payload);
            assertThat(page.locator("tr[data-parked='" + poison + "']")).hasCount(0);
            page.getByLabel("Status").selectOption("REPLAYED");
            assertThat(page.locator("tr[data-parked='" + poison + "']")).containsText("REPLAYED");

            // Retention keeps it: the aggregate's published history shows it.
            page.getByRole(AriaRole.NAVIGATION)
                    .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Published"))
                    .click();
            page.getByLabel("Aggregate type").fill(TYPE);
            page.getByLabel("Aggregate id").fill("order-1");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search"))
                    .click();
            assertThat(page.locator("tr[data-published='" + poison + "']")).containsText("OrderNoted");
        }
        assertOnlyTheRelayWasAsked();
    }

    @Test
    void severalParkedMessagesAreSkippedAtOnce() throws Exception {
        String type = "skip-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = admin()) {
            admin.createTopics(Set.of(new NewTopic("outbox.event." + type, TopicReader.PARTITIONS, (short) 1)
                            .configs(Map.of("max.message.bytes", "2000"))))
                    .all()
                    .get();
        }
        UUID first = publish(type, "skip-1", incompressible(5000));
        UUID second = publish(type, "skip-2", incompressible(5000));
        Page page = signedIn();
        page.navigate(console() + "#/parked");
        Locator firstRow = page.locator("tr[data-parked='" + first + "']");
        Locator secondRow = page.locator("tr[data-parked='" + second + "']");
        assertThat(firstRow).isVisible();
        assertThat(secondRow).isVisible();
        firstRow.getByRole(AriaRole.CHECKBOX).check();
        secondRow.getByRole(AriaRole.CHECKBOX).check();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Skip selected (2)"))
                .click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Yes"))
                .click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("2 skipped");
        page.getByLabel("Status").selectOption("SKIPPED");
        assertThat(firstRow).containsText("SKIPPED");
        assertThat(secondRow).containsText("SKIPPED");
    }

    @Test
    void theStatusShowsLeasesBacklogAndCircuitsAndPausesAndResumesPublishing() throws Exception {
        Page page = signedIn();
        Locator status = page.getByLabel("Status", new Page.GetByLabelOptions().setExact(true));
        assertThat(status).containsText("polling");
        assertThat(page.locator("[data-paused]")).hasText("publishing");
        assertThat(status).containsText("CLOSED");
        // Every partition's lease, owned by this relay.
        Locator partitions = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Backlog"));
        assertThat(partitions.locator("tbody tr").first()).containsText("console-relay");
        BrowserExtension.screenshot(page, SCREENSHOTS.resolve("relay-console-status.png"));

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pause publishing"))
                .click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Yes"))
                .click();
        assertThat(page.locator("[data-paused]")).hasText("paused");
        String type = "paused-" + UUID.randomUUID().toString().substring(0, 8);
        try (TopicReader reader = new TopicReader("outbox.event." + type)) {
            publish(type, "held", "while paused");
            // Held in the outbox while paused: the backlog shows it.
            assertThat(page.locator("[data-backlog]")).not().hasText("0");
            assertThat(reader.poll()).isEmpty();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Resume publishing"))
                    .click();
            assertThat(page.locator("[data-paused]")).hasText("publishing");
            assertThat(reader.awaitAtLeast(1, Duration.ofSeconds(30))).hasSize(1);
            assertThat(page.locator("[data-backlog]")).hasText("0");
        }
    }

    @Test
    void inCdcModeTheConsoleShowsTheLeaderAndTheSlot() throws Exception {
        String slot = ReplicationSlots.unique("courier_console_it");
        try (RelayInstance cdc = RelayInstance.start(
                DB.database(), "console-cdc", Map.of("courier.relay.mode", "cdc", "courier.relay.cdc.slot", slot))) {
            Page page = browser.page(BrowserExtension.LAPTOP);
            ConsolePage.signIn(page, "http://127.0.0.1:" + cdc.port() + "/console/", RelayInstance.TOKEN);
            Locator stream = page.locator("section").filter(new Locator.FilterOptions().setHasText("Change stream"));
            assertThat(page.getByLabel("Status", new Page.GetByLabelOptions().setExact(true)))
                    .containsText("cdc");
            assertThat(stream).containsText("leads the change stream");
            assertThat(stream).containsText(slot + " (active)");
            assertThat(stream).containsText("Retained WAL");
            assertThat(stream.locator("dd").nth(2))
                    .hasText(java.util.regex.Pattern.compile("\\d+(\\.\\d)? (B|KiB|MiB|GiB)"));
            assertThat(page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Backlog")))
                    .isVisible();
        } finally {
            ReplicationSlots.drop(DB.dataSource(), slot);
        }
    }

    @Test
    void onAPhoneTheConsoleFitsTheScreenWidth() {
        Page page = browser.page(BrowserExtension.PHONE);
        ConsolePage.signIn(page, console(), RelayInstance.TOKEN);
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Relay console-relay")))
                .isVisible();
        assertThat(page.locator("tbody tr").first()).isVisible();
        assertThat(ConsolePage.sidewaysOverflow(page)).isLessThanOrEqualTo(0);
    }

    @Test
    void theConsolesFilesAreOpenAndTheAdminApiStillNeedsTheToken() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page =
                http.send(HttpRequest.newBuilder(URI.create(console())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'", "frame-ancestors 'none'");
        HttpResponse<String> admin = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/admin/status"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(admin.statusCode()).isEqualTo(401);
    }

    /** Random letters: the producer compresses batches, and a repeated letter would shrink below the topic's limit. */
    private static String incompressible(int length) {
        Random random = new Random(length);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    private static UUID publish(String aggregateId, String payload) throws Exception {
        return publish(TYPE, aggregateId, payload);
    }

    private static UUID publish(String type, String aggregateId, String payload) throws Exception {
        try (Connection c = DB.dataSource().getConnection()) {
            c.setAutoCommit(false);
            UUID id = outbox.on(c)
                    .publish(new OutboxMessage(
                            type, aggregateId, "OrderNoted", payload.getBytes(StandardCharsets.UTF_8), Map.of()));
            c.commit();
            return id;
        }
    }

    private void assertOnlyTheRelayWasAsked() {
        assertThat(browser.requested())
                .isNotEmpty()
                .allSatisfy(url -> assertThat(url).startsWith("http://127.0.0.1:" + relay.port() + "/"));
    }
}
