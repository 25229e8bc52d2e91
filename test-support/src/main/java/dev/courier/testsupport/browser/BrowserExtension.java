package dev.courier.testsupport.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Headless Chromium for browser tests, driven by Playwright: the machine's own Chromium (Debian's {@code chromium},
 * which {@code ./courier test} installs), never a browser Playwright would download. One browser per test class; each
 * {@link #page} gets a fresh context (no storage shared between pages), which is closed after the test. Every request
 * a page makes is recorded, so that a test can check that the pages ask nothing of any other host.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final BrowserExtension browser = new BrowserExtension();
 * Page page = browser.page(BrowserExtension.LAPTOP);
 * }</pre>
 */
public final class BrowserExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    /** Where the browser is looked for unless {@code -Dcourier.chromium=...} says otherwise. */
    public static final String DEFAULT_CHROMIUM = "/usr/bin/chromium";

    /** A laptop's screen. */
    public static final Viewport LAPTOP = new Viewport(1280, 800);

    /** A phone's screen (CSS pixels). */
    public static final Viewport PHONE = new Viewport(390, 844);

    public record Viewport(int width, int height) {}

    /**
     * The flags this machine's Chromium needs: no sandbox (tests run as root), and none of its own connections to
     * Google's services, which a closed network refuses many times over.
     */
    private static final List<String> FLAGS = List.of(
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-dev-shm-usage");

    private Playwright playwright;
    private Browser browser;
    private final List<BrowserContext> contexts = new ArrayList<>();
    private final List<String> requested = new CopyOnWriteArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        Path chromium = Path.of(System.getProperty("courier.chromium", DEFAULT_CHROMIUM));
        if (!Files.isExecutable(chromium)) {
            throw new IllegalStateException(
                    "No Chromium at " + chromium + ": install Debian's chromium (apt-get install"
                            + " chromium; ./courier test does) or name one with -Dcourier.chromium=/path/to/chromium");
        }
        // A page under test refreshes itself every few seconds; a busy machine may take a while.
        PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
        playwright = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright
                .chromium()
                .launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(chromium)
                        .setHeadless(true)
                        .setArgs(FLAGS));
    }

    /** A page in a fresh context of the given screen size; every request it makes is {@linkplain #requested kept}. */
    public Page page(Viewport viewport) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(viewport.width(), viewport.height())
                .setServiceWorkers(com.microsoft.playwright.options.ServiceWorkerPolicy.BLOCK));
        contexts.add(context);
        context.setDefaultTimeout(20_000);
        context.onRequest(request -> requested.add(request.url()));
        return context.newPage();
    }

    /** Every URL the pages of this class asked for so far. */
    public List<String> requested() {
        return List.copyOf(requested);
    }

    /** Saves a screenshot of the page's whole height to {@code path} (for the READMEs). */
    public static void screenshot(Page page, Path path) {
        page.screenshot(new Page.ScreenshotOptions().setPath(path).setFullPage(true));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (BrowserContext open : contexts) {
            open.close();
        }
        contexts.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (playwright != null) {
                playwright.close();
            }
            browser = null;
            playwright = null;
        }
    }
}
