package dev.modelfeedback.servlet.page;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Reads an {@code Accept} header for one question: does the client prefer HTML to JSON? A browser
 * does ({@code text/html} outranks the {@code *}{@code /*;q=0.8} it also sends); a program does not:
 * {@code application/json}, {@code *}{@code /*}, no header at all, or a tie between the two.
 * Only an explicit {@code text/html} or {@code text/*} counts for HTML; {@code *}{@code /*} counts
 * for JSON.
 */
public final class AcceptHeader {

    private AcceptHeader() {
    }

    /**
     * @param accept the header's value, or {@code null} if absent
     * @return whether {@code text/html} is acceptable with a higher quality than {@code application/json}
     */
    public static boolean prefersHtml(@Nullable String accept) {
        if (accept == null || accept.length() > 4096) {
            return false;
        }
        double html = 0;
        double json = 0;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";", -1);
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            double quality = quality(parts);
            switch (type) {
                case "text/html", "text/*" -> html = Math.max(html, quality);
                case "application/json", "application/*", "*/*" -> json = Math.max(json, quality);
                default -> {
                    // another type: no say in this choice
                }
            }
        }
        return html > json;
    }

    /** The {@code q} parameter of a media range: 1 when absent, 0 when malformed. */
    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.length() > 2 && (parameter.charAt(0) == 'q' || parameter.charAt(0) == 'Q')
                    && parameter.charAt(1) == '=') {
                try {
                    double q = Double.parseDouble(parameter.substring(2).trim());
                    return q >= 0 && q <= 1 ? q : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
