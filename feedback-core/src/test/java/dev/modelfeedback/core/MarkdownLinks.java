package dev.modelfeedback.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The links of a Markdown file that point into the repository, and whether each resolves: for
 * tests that keep the documentation navigable. For tests; stateless.
 */
public final class MarkdownLinks {

    /** {@code [text](target)} and {@code ![alt](target)}, the target up to a space or the closing parenthesis. */
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)[^)]*\\)");

    private MarkdownLinks() {
    }

    /**
     * The relative links of a file that do not resolve inside {@code root}: a missing file, or one
     * outside the repository. Links to other sites ({@code https:}, {@code mailto:}) are not
     * checked; an anchor ({@code #section}) is checked against the headings of its file.
     *
     * @param markdown the file
     * @param root the repository's root
     * @return each broken link with its line, empty if none
     */
    public static List<String> broken(Path markdown, Path root) {
        List<String> lines = read(markdown);
        List<String> broken = new ArrayList<>();
        boolean inCode = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            if (inCode) {
                continue;
            }
            Matcher link = LINK.matcher(line);
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue;
                }
                String where = markdown.getFileName() + ":" + (i + 1) + ": " + target;
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path here = markdown.toAbsolutePath().normalize();
                Path resolved = file.isEmpty() ? here : here.getParent().resolve(file).normalize();
                if (!resolved.startsWith(root.toAbsolutePath().normalize())) {
                    broken.add(where + " (outside the repository)");
                } else if (!Files.exists(resolved)) {
                    broken.add(where + " (no such file)");
                } else if (hash >= 0 && resolved.toString().endsWith(".md")
                        && !anchors(resolved).contains(target.substring(hash + 1))) {
                    broken.add(where + " (no such heading)");
                }
            }
        }
        return broken;
    }

    /** GitHub's anchors of a file's headings: lower case, punctuation dropped, spaces as hyphens. */
    static List<String> anchors(Path markdown) {
        List<String> anchors = new ArrayList<>();
        boolean inCode = false;
        for (String line : read(markdown)) {
            if (line.startsWith("```")) {
                inCode = !inCode;
            } else if (!inCode && line.startsWith("#")) {
                String heading = line.replaceFirst("^#+\\s*", "").trim().toLowerCase(java.util.Locale.ROOT);
                anchors.add(heading.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    private static List<String> read(Path markdown) {
        try {
            return Files.readAllLines(markdown);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
