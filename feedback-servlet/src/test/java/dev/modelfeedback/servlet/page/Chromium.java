package dev.modelfeedback.servlet.page;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium driven through chromedriver (Debian packages {@code chromium} and
 * {@code chromium-driver}), found on the {@code PATH}; nothing is downloaded. Absent, the tests
 * that need it are skipped with a printed notice, unless {@code -Dfeedback.requireBrowser=true}
 * (set by CI) makes them fail instead.
 */
public final class Chromium {

    /** The system property that turns a missing browser from a skip into a failure. */
    public static final String REQUIRE_PROPERTY = "feedback.requireBrowser";

    private Chromium() {
    }

    /**
     * Starts a headless browser, 1280 × 1100 pixels; skips or fails the calling test if Chromium
     * or chromedriver is not installed.
     *
     * @return the driver; {@code quit()} it when done
     */
    public static ChromeDriver start() {
        // Selenium warns on every start that it has no DevTools bindings for this Chromium's exact
        // version; the tests use WebDriver only.
        Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE);
        Path browser = require(List.of("chromium", "chromium-browser", "google-chrome"));
        Path driver = require(List.of("chromedriver"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1100", "--hide-scrollbars", "--lang=en-US", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static Path require(List<String> names) {
        for (String name : names) {
            Optional<Path> found = find(name);
            if (found.isPresent()) {
                return found.get();
            }
        }
        String notice = names.get(0) + " is not installed (Debian packages 'chromium' and 'chromium-driver');"
                + " the status page's browser tests need it";
        if (Boolean.getBoolean(REQUIRE_PROPERTY)) {
            fail(notice + ", and -D" + REQUIRE_PROPERTY + "=true requires them to run");
        }
        System.out.println("NOTICE: skipping: " + notice);
        Assumptions.abort(notice);
        throw new AssertionError("unreachable");
    }

    private static Optional<Path> find(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
