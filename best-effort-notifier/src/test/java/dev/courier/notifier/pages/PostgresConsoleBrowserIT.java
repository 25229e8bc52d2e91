package dev.courier.notifier.pages;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.courier.notifier.support.NotifierExtension;
import dev.courier.notifier.support.NotifierInstance;
import dev.courier.notifier.support.Receiver;
import dev.courier.notifier.support.TestApplications;
import dev.courier.testsupport.browser.BrowserExtension;
import dev.courier.testsupport.browser.ConsolePage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The operator console in headless Chromium against a real notifier, PostgreSQL and HTTP receiver: an operator signs
 * in (with the keyboard only), watches an endpoint, finds a delivery that gave up and redelivers it from the page,
 * and it arrives at the receiver. The pages' files are open and strict (CSP, no frames), and the pages ask nothing of
 * any host but the notifier.
 */
class PostgresConsoleBrowserIT {

    @RegisterExtension
    static final NotifierExtension notifier = NotifierExtension.postgres(
            "console-it",
            // Circuits out of reach (Resilience4j caps the minimum calls at the window's size): a backlog held by a
            // failing receiver drains as soon as it answers.
            Map.of(
                    "courier.notifier.circuit.minimum-calls", "100000",
                    "courier.notifier.circuit.sliding-window-size", "100000"));

    @RegisterExtension
    static final BrowserExtension browser = new BrowserExtension();

    static final TestApplications applications = new TestApplications(notifier);
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    String console() {
        return "http://127.0.0.1:" + notifier.port() + "/console/";
    }

    @Test
    void thePagesAreServedWithoutATokenUnderAStrictPolicyAndTheApiStillNeedsOne() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/console/", "/console/index.html", "/console/app.js", "/portal/")) {
            HttpResponse<String> page = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + notifier.port() + path))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(policy).contains("script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'");
            assertThat(policy).doesNotContain("unsafe-inline", "unsafe-eval");
            assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        }
        HttpResponse<String> redirect = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + notifier.port() + "/console"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(redirect.statusCode()).isEqualTo(302);
        HttpResponse<String> api = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + notifier.port() + "/api/endpoints"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(401);
        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + notifier.port() + "/console/index.html"))
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).as("only GET is open").isEqualTo(401);
    }

    @Test
    void anOperatorSignsInWithTheKeyboardAndAWrongTokenIsRefused() {
        Page page = browser.page(BrowserExtension.LAPTOP);
        page.navigate(console());
        Locator token = page.getByLabel("Operator token");
        assertThat(token).isVisible();
        token.fill("not-the-token-0123456789");
        token.press("Enter");
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("401");
        token.fill("");
        // Keyboard only: the field is reached with Tab from the top of the page, and Enter submits.
        page.locator("body").focus();
        for (int i = 0; i < 5 && !"token".equals(page.evaluate("document.activeElement.id")); i++) {
            page.keyboard().press("Tab");
        }
        assertThat(page.evaluate("document.activeElement.id")).isEqualTo("token");
        page.keyboard().type(NotifierInstance.TOKEN);
        page.keyboard().press("Enter");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Endpoints")))
                .isVisible();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")))
                .isVisible();
        assertThat(page.content()).doesNotContain(NotifierInstance.TOKEN);
        // The first Tab of a page reaches "Skip to content", which moves the focus to the page's content.
        page.locator("body").focus();
        page.keyboard().press("Tab");
        assertThat(page.evaluate("document.activeElement.textContent")).isEqualTo("Skip to content");
        page.keyboard().press("Enter");
        assertThat(page.evaluate("document.activeElement.id")).isEqualTo("main");
    }

    @Test
    void markupInStoredTextIsShownAsTextAndNeverRuns() {
        String application = applications.create("markup");
        String description = "<img src=x onerror=\"window.pwned='description'\">";
        JsonNode endpoint = applications.endpoint(application, "/console/markup", "description", description);
        String messageId = applications.sent(
                application,
                "markup-1",
                "payment.succeeded",
                Map.of("note", "</pre><script>window.pwned='payload'</script><b>bold</b>"));
        String deliveryId = applications
                .awaitAllDelivered(application, messageId, 1)
                .path("deliveries")
                .get(0)
                .path("id")
                .asString();
        Page page = signedIn(BrowserExtension.LAPTOP);
        assertThat(page.locator("tr[data-endpoint='" + endpoint.path("id").asString() + "']"))
                .containsText(description);
        page.navigate(console() + "#/deliveries/" + deliveryId);
        assertThat(page.locator("pre")).containsText("<script>window.pwned='payload'</script>");
        assertThat(page.locator("img, script:not([src]), b")).hasCount(0);
        assertThat(page.evaluate("window.pwned === undefined")).isEqualTo(true);
    }

    @Test
    void aDeliveryThatGaveUpIsFoundAndRedeliveredFromTheConsoleAndArrives() {
        String application = applications.create("console");
        AtomicBoolean receiverUp = new AtomicBoolean(false);
        notifier.receiver()
                .on(
                        "/console/shop",
                        request -> receiverUp.get()
                                ? Receiver.Answer.ok()
                                : Receiver.Answer.of(503, "down for maintenance"));
        JsonNode endpoint = applications.endpoint(
                application, "/console/shop", "description", "shop callbacks", "retryProfile", "custom:100ms");
        String endpointId = endpoint.path("id").asString();
        String messageId = applications.sent(application, "pay-1", "payment.succeeded", Map.of("orderId", "o-1"));
        String deliveryId = applications
                .awaitDeliveries(application, "GAVE_UP", 1)
                .get(0)
                .path("id")
                .asString();

        Page page = signedIn(BrowserExtension.LAPTOP);
        Locator row = page.locator("tr[data-endpoint='" + endpointId + "']");
        assertThat(row).containsText("shop callbacks");
        assertThat(row).containsText(application);
        BrowserExtension.screenshot(page, SCREENSHOTS.resolve("notifier-console-endpoints.png"));

        // Search the application's deliveries that gave up.
        page.getByRole(AriaRole.NAVIGATION)
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Deliveries"))
                .click();
        page.getByLabel("Application").fill(application);
        page.getByLabel("Status").selectOption("GAVE_UP");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search"))
                .click();
        Locator found = page.locator("tr[data-delivery='" + deliveryId + "']");
        assertThat(found).containsText("GAVE_UP");
        assertThat(page.locator("tr[data-delivery]")).hasCount(1);
        found.getByRole(AriaRole.LINK).click();

        // The delivery with its attempts, each with the receiver's answer.
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Delivery " + deliveryId)))
                .isVisible();
        Locator attempts = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Attempts"));
        assertThat(attempts.locator("tbody tr")).hasCount(2);
        assertThat(attempts).containsText("down for maintenance");
        assertThat(attempts).containsText("503");
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(messageId)))
                .isVisible();
        BrowserExtension.screenshot(page, SCREENSHOTS.resolve("notifier-console-delivery.png"));

        receiverUp.set(true);
        int before = notifier.receiver().requests("/console/shop").size();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Redeliver"))
                .click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Due again");
        assertThat(page.locator("dl.facts .badge").first()).hasText("DELIVERED");
        assertThat(attempts.locator("tbody tr")).hasCount(3);
        List<Receiver.Request> arrived = notifier.receiver().requests("/console/shop");
        assertThat(arrived).hasSize(before + 1);
        assertThat(arrived.getLast().body()).contains("\"orderId\":\"o-1\"");
        assertThat(arrived.getLast().header("webhook-id")).isEqualTo(messageId);

        // The message page shows the delivery with all three attempts.
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(messageId))
                .click();
        assertThat(page.locator("section[data-delivery='" + deliveryId + "'] tbody tr"))
                .hasCount(3);
        assertOnlyTheNotifierWasAsked();
    }

    @Test
    void theEndpointPageFollowsABacklogAsItDrainsAndDisablesEnablesAndRotates() {
        String application = applications.create("drain");
        AtomicBoolean open = new AtomicBoolean(false);
        notifier.receiver()
                .on("/console/drain", request -> open.get() ? Receiver.Answer.ok() : Receiver.Answer.of(500, "no"));
        JsonNode endpoint = applications.endpoint(application, "/console/drain", "retryProfile", "custom:1s,1s,1s,1s");
        String endpointId = endpoint.path("id").asString();
        for (int i = 0; i < 5; i++) {
            applications.sent(application, "drain-" + i, "order.created", Map.of("n", i));
        }
        Page page = signedIn(BrowserExtension.LAPTOP);
        page.locator("tr[data-endpoint='" + endpointId + "'] a").click();
        Locator pending = page.locator("dd[data-pending]");
        assertThat(pending).hasText("5");
        open.set(true);
        // Live: the page refreshes itself while the backlog drains.
        assertThat(pending)
                .hasText(
                        "0",
                        new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(30_000));

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Disable"))
                .click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Yes"))
                .click();
        assertThat(page.getByRole(AriaRole.STATUS)).hasText("Disabled.");
        assertThat(notifier.api()
                        .get("/api/endpoints/" + endpointId)
                        .json()
                        .path("enabled")
                        .asBoolean())
                .isFalse();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Enable"))
                .click();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> notifier.api()
                        .get("/api/endpoints/" + endpointId)
                        .json()
                        .path("enabled")
                        .asBoolean());

        // A rotated secret is shown in the answer that made it, and gone from the page once closed.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Rotate secret"))
                .click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Yes"))
                .click();
        Locator shown = page.locator("[data-secret]");
        assertThat(shown).hasText(java.util.regex.Pattern.compile("whsec_.+"));
        String secret = shown.textContent();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("I have copied it"))
                .click();
        assertThat(shown).hasCount(0);
        assertThat(page.content()).doesNotContain(secret);
        assertThat(notifier.api().get("/api/endpoints/" + endpointId).raw().body())
                .doesNotContain(secret);
    }

    @Test
    void aTimeRangeIsRecoveredInBulkFromTheConsoleAndArrives() {
        String application = applications.create("recover");
        AtomicBoolean up = new AtomicBoolean(false);
        notifier.receiver()
                .on("/console/recover", request -> up.get() ? Receiver.Answer.ok() : Receiver.Answer.of(500, "outage"));
        String endpointId = applications
                .endpoint(application, "/console/recover", "retryProfile", "custom:100ms")
                .path("id")
                .asString();
        for (int i = 0; i < 3; i++) {
            applications.sent(application, "outage-" + i, "payment.succeeded", Map.of("n", i));
        }
        applications.awaitDeliveries(application, "GAVE_UP", 3);
        up.set(true);
        Page page = signedIn(BrowserExtension.LAPTOP);
        page.getByRole(AriaRole.NAVIGATION)
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Recover"))
                .click();
        page.getByLabel("Application").fill(application);
        page.getByLabel("Endpoint id").fill(endpointId);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Recover"))
                .click();
        assertThat(page.getByRole(AriaRole.STATUS)).hasText("3 deliveries are due again.");
        applications.awaitDeliveries(application, "DELIVERED", 3);
        assertThat(notifier.receiver().requests("/console/recover")).hasSize(9);
        // A bad range is refused with the API's own words.
        page.getByLabel("Application").fill("");
        page.getByLabel("Endpoint id").fill("");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Recover"))
                .click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("400");
    }

    @Test
    void onAPhoneTheConsoleFitsTheScreenWidth() {
        Page page = signedIn(BrowserExtension.PHONE);
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Endpoints")))
                .isVisible();
        // Tables scroll inside their own frame; the page itself never scrolls sideways.
        assertThat(ConsolePage.sidewaysOverflow(page)).isLessThanOrEqualTo(0);
        BrowserExtension.screenshot(page, SCREENSHOTS.resolve("notifier-console-phone.png"));
    }

    private Page signedIn(BrowserExtension.Viewport viewport) {
        Page page = browser.page(viewport);
        ConsolePage.signIn(page, console(), NotifierInstance.TOKEN);
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Endpoints")))
                .isVisible();
        return page;
    }

    private void assertOnlyTheNotifierWasAsked() {
        assertThat(browser.requested())
                .isNotEmpty()
                .allSatisfy(url -> assertThat(url).startsWith("http://127.0.0.1:" + notifier.port() + "/"));
    }
}
