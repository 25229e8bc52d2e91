package dev.courier.notifier.pages;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Frame;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.courier.notifier.support.NotifierApi.Reply;
import dev.courier.notifier.support.NotifierExtension;
import dev.courier.notifier.support.Receiver;
import dev.courier.notifier.support.TestApplications;
import dev.courier.receiver.WebhookVerificationException;
import dev.courier.receiver.WebhookVerifier;
import dev.courier.testsupport.browser.BrowserExtension;
import dev.courier.testsupport.browser.ConsolePage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The tenant portal in headless Chromium against a real notifier: a link the operator's API hands out opens one
 * application's endpoints and deliveries and nothing of another application, through the page or with the token
 * itself; the merchant adds an endpoint (its secret shown once), edits its subscriptions, rotates the secret, sends a
 * test event that arrives signed, and replays its failures; only the allowed origins may frame the portal.
 */
class PostgresPortalBrowserIT {

    /** Pages of any port on localhost may frame the portal; the test's receiver serves such a page. */
    @RegisterExtension
    static final NotifierExtension notifier = NotifierExtension.postgres(
            "portal-it", Map.of("courier.notifier.portal.frame-origins", "http://localhost:*"));

    @RegisterExtension
    static final BrowserExtension browser = new BrowserExtension();

    static final TestApplications applications = new TestApplications(notifier);
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    static String alpha;
    static String beta;
    static String alphaDelivery;
    static String betaDelivery;
    static JsonNode betaEndpoint;

    @BeforeAll
    static void twoMerchants() {
        alpha = applications.create("alpha");
        beta = applications.create("beta");
        applications.endpoint(alpha, "/portal/alpha", "description", "alpha orders");
        betaEndpoint = applications.endpoint(beta, "/portal/beta", "description", "beta orders");
        alphaDelivery = deliveredOnce(alpha, "a-1", Map.of("shop", "alpha-data"));
        betaDelivery = deliveredOnce(beta, "b-1", Map.of("shop", "beta-data"));
    }

    static String deliveredOnce(String application, String key, Object payload) {
        String message = applications.sent(application, key, "payment.succeeded", payload);
        return applications
                .awaitAllDelivered(application, message, 1)
                .path("deliveries")
                .get(0)
                .path("id")
                .asString();
    }

    static JsonNode link(String application, Map<String, Object> request) {
        Reply reply = notifier.api().post("/api/applications/" + application + "/portal-links", request);
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(201);
        return reply.json();
    }

    Page portal(String application, BrowserExtension.Viewport viewport) {
        Page page = browser.page(viewport);
        page.navigate(link(application, Map.of()).path("url").asString());
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Endpoints")))
                .isVisible();
        return page;
    }

    @Test
    void aPortalLinkShowsOnlyItsOwnApplicationAndItsTokenReachesNothingElse() {
        JsonNode link = link(alpha, Map.of("expiresInSeconds", 600));
        assertThat(link.path("url").asString())
                .startsWith("http://127.0.0.1:" + notifier.port() + "/portal/#application=" + alpha + "&token=cna_");
        assertThat(link.path("expiresAt").asString()).isNotEmpty();
        Page page = browser.page(BrowserExtension.LAPTOP);
        page.navigate(link.path("url").asString());
        assertThat(page.locator("header")).containsText(alpha);
        // The token leaves the address bar (and the history) at once.
        assertThat(page.url()).doesNotContain("token").doesNotContain("cna_");
        assertThat(page.locator("tr[data-endpoint]")).hasCount(1);
        assertThat(page.locator("tbody")).containsText("alpha orders");
        assertThat(page.content())
                .doesNotContain("beta orders", betaEndpoint.path("id").asString());
        BrowserExtension.screenshot(page, SCREENSHOTS.resolve("portal-endpoints.png"));

        page.getByRole(AriaRole.NAVIGATION)
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Deliveries"))
                .click();
        assertThat(page.locator("tr[data-delivery='" + alphaDelivery + "']")).containsText("DELIVERED");
        assertThat(page.locator("tr[data-delivery]")).hasCount(1);
        assertThat(page.content()).doesNotContain(betaDelivery, "beta-data");

        // The page's own token, used by hand against the other merchant: refused or not found, never shown.
        String token = link.path("token").asString();
        String betaEndpointId = betaEndpoint.path("id").asString();
        for (String path : List.of(
                "/api/applications/" + beta + "/deliveries",
                "/api/applications/" + beta + "/deliveries/" + betaDelivery,
                "/api/applications/" + beta + "/endpoints",
                "/api/applications/" + beta + "/endpoints/" + betaEndpointId + "/test-events",
                "/api/endpoints",
                "/api/notifications/" + betaDelivery,
                "/api/applications/" + beta + "/portal-links",
                "/api/applications/" + alpha + "/portal-links")) {
            assertThat(status(page, method(path), path, token)).as(path).isEqualTo(403);
        }
        for (String path : List.of(
                "/api/applications/" + alpha + "/deliveries/" + betaDelivery,
                "/api/applications/" + alpha + "/endpoints/" + betaEndpointId)) {
            assertThat(status(page, "GET", path, token)).as(path).isEqualTo(404);
        }
        assertThat(status(
                        page,
                        "POST",
                        "/api/applications/" + alpha + "/endpoints/" + betaEndpointId + "/test-events",
                        token))
                .isEqualTo(404);
        assertThat(notifier.receiver().requests("/portal/beta")).hasSize(1);

        // Revoked (or expired), the link ends the session: the page says so and shows nothing.
        String tokenId = link.path("tokenId").asString();
        assertThat(notifier.api()
                        .delete("/api/applications/" + alpha + "/tokens/" + tokenId)
                        .status())
                .isEqualTo(204);
        page.reload();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("expired");
        assertThat(page.content()).doesNotContain("alpha orders");
    }

    private static String method(String path) {
        return path.endsWith("/test-events") || path.endsWith("/portal-links") ? "POST" : "GET";
    }

    /** The status of a call made from the page with {@code token}, as a script of the page would make it. */
    private static int status(Page page, String method, String path, String token) {
        Object status = page.evaluate(
                "([method, path, token]) => fetch(path, {method, headers: {Authorization: 'Bearer ' + token,"
                        + " 'Content-Type': 'application/json'}, body: method === 'POST' ? '{}' : undefined})"
                        + ".then(r => r.status)",
                List.of(method, path, token));
        return ((Number) status).intValue();
    }

    @Test
    void aMerchantAddsAnEndpointSeesItsSecretOnceAndSendsASignedTestEvent() {
        String application = applications.create("merchant");
        Page page = portal(application, BrowserExtension.LAPTOP);
        page.getByLabel("URL").fill(notifier.receiver().url("/portal/new"));
        page.getByLabel("Description").fill("new shop");
        page.getByLabel("Event types").fill("payment.*, refund.created");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add endpoint"))
                .click();
        Locator shown = page.locator("[data-secret]");
        assertThat(shown).hasText(java.util.regex.Pattern.compile("whsec_.+"));
        String secret = shown.textContent();
        JsonNode endpoint = notifier.api()
                .get("/api/applications/" + application + "/endpoints")
                .json()
                .get(0);
        assertThat(endpoint.path("eventTypes").toString()).isEqualTo("[\"payment.*\",\"refund.created\"]");
        assertThat(endpoint.toString()).doesNotContain(secret);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("I have copied it"))
                .click();
        assertThat(page.getByRole(
                        AriaRole.HEADING,
                        new Page.GetByRoleOptions().setName("Endpoint").setExact(true)))
                .isVisible();
        assertThat(page.locator("[data-secret]")).hasCount(0);
        assertThat(page.content()).doesNotContain(secret);

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send test event"))
                .click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Test event sent");
        assertThat(page.getByRole(AriaRole.STATUS)).hasCount(1);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> notifier.receiver().requests("/portal/new").size() == 1);
        Receiver.Request test = notifier.receiver().requests("/portal/new").getFirst();
        assertThat(test.body()).contains("\"type\":\"courier.test\"", "\"test\":true");
        WebhookVerifier.of(secret).verify(test::header, test.body());

        // Subscriptions edited on the page are the endpoint's.
        Locator types = page.getByLabel("Event types");
        assertThat(types).hasValue("payment.*, refund.created");
        types.fill("refund.*");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save"))
                .click();
        assertThat(page.getByRole(AriaRole.STATUS).filter(new Locator.FilterOptions().setHasText("Saved.")))
                .isVisible();
        assertThat(notifier.api()
                        .get("/api/applications/" + application + "/endpoints/"
                                + endpoint.path("id").asString())
                        .json()
                        .path("eventTypes")
                        .toString())
                .isEqualTo("[\"refund.*\"]");

        // A rotated secret is shown once too, and the next test event is signed with it.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Rotate secret"))
                .click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Yes"))
                .click();
        assertThat(shown).hasText(java.util.regex.Pattern.compile("whsec_.+"));
        String rotated = shown.textContent();
        assertThat(rotated).isNotEqualTo(secret);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("I have copied it"))
                .click();
        assertThat(page.content()).doesNotContain(rotated);
        // The delivery loop reads secrets at most once a second: a test event sent after that carries the new
        // signature (and the previous one, during the overlap).
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            int before = notifier.receiver().requests("/portal/new").size();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send test event"))
                    .click();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> notifier.receiver().requests("/portal/new").size() > before);
            Receiver.Request latest =
                    notifier.receiver().requests("/portal/new").getLast();
            WebhookVerifier.of(secret).verify(latest::header, latest.body());
            try {
                WebhookVerifier.of(rotated).verify(latest::header, latest.body());
                return true;
            } catch (WebhookVerificationException notYet) {
                return false;
            }
        });
    }

    @Test
    void aMerchantReplaysItsFailuresAndTheyArrive() {
        String application = applications.create("replay");
        AtomicBoolean up = new AtomicBoolean(false);
        notifier.receiver()
                .on(
                        "/portal/replay",
                        request -> up.get() ? Receiver.Answer.ok() : Receiver.Answer.of(502, "bad gateway"));
        applications.endpoint(application, "/portal/replay", "retryProfile", "custom:100ms");
        applications.sent(application, "r-1", "payment.succeeded", Map.of("n", 1));
        applications.sent(application, "r-2", "payment.succeeded", Map.of("n", 2));
        applications.awaitDeliveries(application, "GAVE_UP", 2);
        Page page = portal(application, BrowserExtension.LAPTOP);
        page.getByRole(AriaRole.NAVIGATION)
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Deliveries"))
                .click();
        assertThat(page.locator("tr[data-delivery]")).hasCount(2);
        assertThat(page.locator("tbody")).containsText("GAVE_UP");
        BrowserExtension.screenshot(page, SCREENSHOTS.resolve("portal-deliveries.png"));
        up.set(true);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Replay failures"))
                .click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("2 failed deliveries");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> notifier.receiver().requests("/portal/replay").size() == 6);
        assertThat(page.locator("tbody .badge.ok")).hasCount(2);
    }

    @Test
    void onlyTheAllowedOriginsFrameThePortalAndNobodyFramesTheConsole() {
        String url = link(alpha, Map.of()).path("url").asString();
        String console = "http://127.0.0.1:" + notifier.port() + "/console/";
        notifier.receiver()
                .on(
                        "/embed",
                        request -> html("<iframe name=portal src=\"" + url + "\"></iframe>"
                                + "<iframe name=console src=\"" + console + "\"></iframe>"));
        Page page = browser.page(BrowserExtension.LAPTOP);
        List<String> errors = new CopyOnWriteArrayList<>();
        page.onPageError(errors::add);
        List<String> messages = new CopyOnWriteArrayList<>();
        page.onConsoleMessage(message -> messages.add(message.text()));
        // localhost is allowed; the receiver itself listens on 127.0.0.1, a different origin from localhost.
        page.navigate("http://localhost:" + notifier.receiver().port() + "/embed");
        Frame portal = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> page.frame("portal"),
                        frame -> frame != null && frame.url().contains("/portal/"));
        assertThat(portal.getByRole(AriaRole.HEADING, new Frame.GetByRoleOptions().setName("Endpoints")))
                .isVisible();
        assertThat(portal.locator("tbody")).containsText("alpha orders");
        assertThat(errors)
                .as("the framed portal works without storage, which a browser may refuse a frame of another site")
                .isEmpty();
        // The browser refuses the console's frame because of its policy, and says so.
        await().atMost(Duration.ofSeconds(20)).until(() -> refused(messages, "frame-ancestors 'none'"));
        assertThat(page.frames()).noneMatch(f -> f.url().contains("/console/"));

        notifier.receiver().on("/embed-127", request -> html("<iframe name=portal src=\"" + url + "\"></iframe>"));
        Page elsewhere = browser.page(BrowserExtension.LAPTOP);
        List<String> elsewhereConsole = new CopyOnWriteArrayList<>();
        elsewhere.onConsoleMessage(message -> elsewhereConsole.add(message.text()));
        elsewhere.navigate(notifier.receiver().url("/embed-127"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> refused(elsewhereConsole, "frame-ancestors 'self' http://localhost:*"));
        assertThat(elsewhere.frames())
                .as("an origin not allowed cannot frame the portal")
                .noneMatch(f -> f.url().contains("/portal/"));
    }

    private static Receiver.Answer html(String body) {
        return Receiver.Answer.of(200, "<!doctype html>" + body).withHeader("Content-Type", "text/html");
    }

    /** Whether the browser reported a frame refused by the policy with this {@code frame-ancestors} directive. */
    private static boolean refused(List<String> console, String directive) {
        return console.stream().anyMatch(text -> text.contains("Framing") && text.contains(directive));
    }

    @Test
    void onAPhoneThePortalFitsTheScreenWidth() {
        Page page = portal(alpha, BrowserExtension.PHONE);
        assertThat(ConsolePage.sidewaysOverflow(page)).isLessThanOrEqualTo(0);
        BrowserExtension.screenshot(page, SCREENSHOTS.resolve("portal-phone.png"));
    }
}
