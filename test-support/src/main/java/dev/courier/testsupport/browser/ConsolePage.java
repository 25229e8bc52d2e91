package dev.courier.testsupport.browser;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

/** What the tests of every Courier console do the same way (the pages are web-console's). */
public final class ConsolePage {

    private ConsolePage() {}

    /** Opens the console at {@code url} and signs in with the operator {@code token}, as a person would. */
    public static void signIn(Page page, String url, String token) {
        page.navigate(url);
        page.getByLabel("Operator token").fill(token);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))
                .click();
    }

    /**
     * How many CSS pixels the page is wider than the window: at most 0 when it never scrolls sideways (its tables
     * scroll inside their own frames).
     */
    public static int sidewaysOverflow(Page page) {
        return ((Number) page.evaluate("document.documentElement.scrollWidth - window.innerWidth")).intValue();
    }
}
