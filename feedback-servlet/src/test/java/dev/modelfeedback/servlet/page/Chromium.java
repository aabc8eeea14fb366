package dev.modelfeedback.servlet.page;

import dev.modelfeedback.core.testing.RequiredProgram;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium driven through chromedriver (Debian packages {@code chromium} and
 * {@code chromium-driver}), found on the {@code PATH}; nothing is downloaded. Absent, the tests
 * that need it are skipped with a printed notice, unless {@code -Dfeedback.requireBrowser=true}
 * (set by CI) makes them fail instead. The browser runs in the time zone {@link #TIME_ZONE}, so
 * that the times the page shows are known exactly.
 */
public final class Chromium {

    /** The system property that turns a missing browser from a skip into a failure. */
    public static final String REQUIRE_PROPERTY = "feedback.requireBrowser";

    /**
     * The browser's time zone: +05:30 all year (no daylight saving), so that a time shown in UTC, or
     * shifted by whole hours, is caught.
     */
    public static final ZoneId TIME_ZONE = ZoneId.of("Asia/Kolkata");

    private static final String NOTICE = "chromium or chromedriver is not installed (Debian packages 'chromium' and"
            + " 'chromium-driver'); the status page's browser tests need them";

    private Chromium() {
    }

    /**
     * Starts a headless browser, 1280 × 1100 pixels, in {@link #TIME_ZONE}; skips or fails the calling test if Chromium
     * or chromedriver is not installed.
     *
     * @return the driver; {@code quit()} it when done
     */
    public static ChromeDriver start() {
        // Selenium warns on every start that it has no DevTools bindings for this Chromium's exact
        // version; the tests use WebDriver only.
        Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE);
        Path browser = RequiredProgram.require(REQUIRE_PROPERTY, NOTICE, "chromium", "chromium-browser", "google-chrome");
        Path driver = RequiredProgram.require(REQUIRE_PROPERTY, NOTICE, "chromedriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1100", "--hide-scrollbars", "--lang=en-US", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().withEnvironment(Map.of("TZ", TIME_ZONE.getId())).build();
        return new ChromeDriver(service, options);
    }
}
