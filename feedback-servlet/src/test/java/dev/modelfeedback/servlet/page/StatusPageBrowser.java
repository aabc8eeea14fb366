package dev.modelfeedback.servlet.page;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in a real headless Chromium ({@link Chromium}), read the way a person reads it:
 * by the text it shows. Waits are bounded (15 s) and fail naming what was last seen.
 */
public final class StatusPageBrowser implements AutoCloseable {

    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private final ChromeDriver driver = Chromium.start();

    /** Opens the page and waits until it has drawn the models (or said that there are none). */
    public void open(URI page) {
        driver.get(page.toString());
        waitUntil("the page draws its models", () -> count("#models section.model, #models .empty") > 0);
    }

    /** The value shown for a metric, e.g. {@code ("default", "lifetime", "accuracy")}: {@code 0.850}. */
    public String metric(String model, String window, String metric) {
        return text(model(model) + " tr[data-metric='" + metric + "'] td[data-window='" + window + "'] .value");
    }

    /** Waits until a metric shows {@code expected}. */
    public void waitForMetric(String model, String window, String metric, String expected) {
        waitUntil(model + " " + window + " " + metric + " to show " + expected,
                () -> expected.equals(textOrNull(model(model) + " tr[data-metric='" + metric + "'] td[data-window='" + window + "'] .value")));
    }

    /** The CSS selector of a model's card. */
    public static String model(String model) {
        return "section.model[data-model='" + model + "']";
    }

    /**
     * The visible text of the first element matching {@code css}, read in one step inside the page
     * (the page redraws its cards every few seconds, so an element found first may be gone when read).
     *
     * @throws AssertionError if nothing matches
     */
    public String text(String css) {
        String text = textOrNull(css);
        if (text == null) {
            throw new AssertionError("nothing matches " + css + "; the page shows:\n" + textOrNull("body"));
        }
        return text;
    }

    /** The visible texts of every element matching {@code css}. */
    @SuppressWarnings("unchecked")
    public List<String> texts(String css) {
        return (List<String>) Objects.requireNonNull(driver.executeScript(
                "return Array.from(document.querySelectorAll(arguments[0]), e => e.innerText);", css));
    }

    /** How many elements match {@code css}. */
    public int count(String css) {
        return ((Number) Objects.requireNonNull(driver.executeScript(
                "return document.querySelectorAll(arguments[0]).length;", css))).intValue();
    }

    /** Runs a script in the page and returns its result. */
    public Object script(String javascript) {
        return driver.executeScript(javascript);
    }

    /** Every URL the page has fetched (document, scripts, styles, JSON), as the browser recorded them. */
    @SuppressWarnings("unchecked")
    public List<String> fetched() {
        return (List<String>) Objects.requireNonNull(driver.executeScript(
                "return [location.href].concat(performance.getEntriesByType('resource').map(e => e.name));"));
    }

    /** Waits until the page has fetched its JSON at least {@code times} more times: it refreshed. */
    public void waitForRefreshes(int times) {
        long before = fetchesOfJson();
        waitUntil("the page to refresh " + times + " times", () -> fetchesOfJson() >= before + times);
    }

    private long fetchesOfJson() {
        return ((Number) Objects.requireNonNull(driver.executeScript(
                "return performance.getEntriesByType('resource').filter(e => e.initiatorType === 'fetch').length;"))).longValue();
    }

    /** Writes a PNG of the whole page (the window grown to its height) to {@code file}, creating its directory. */
    public Path screenshot(Path file) {
        int height = ((Number) Objects.requireNonNull(driver.executeScript(
                "return document.documentElement.scrollHeight;"))).intValue();
        driver.manage().window().setSize(new Dimension(1280, Math.min(4000, height)));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code condition} holds, or fails naming {@code what}. */
    public void waitUntil(String what, BooleanSupplier condition) {
        try {
            new WebDriverWait(driver, PATIENCE, Duration.ofMillis(100)).until(d -> condition.getAsBoolean());
        } catch (TimeoutException e) {
            throw new AssertionError("waited " + PATIENCE.toSeconds() + " s for " + what + "; the page shows:\n"
                    + textOrNull("body"), e);
        }
    }

    private String textOrNull(String css) {
        return (String) driver.executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.innerText : null;", css);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
