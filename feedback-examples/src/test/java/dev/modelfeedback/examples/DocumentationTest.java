package dev.modelfeedback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.JavaSnippets;
import dev.modelfeedback.core.MarkdownLinks;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's promises: every Java snippet compiles as written (its imports included) with the
 * modules it names, and every relative link resolves inside the repository. The Spring Boot and
 * Tomcat snippets ({@code ```java spring}, {@code ```java tomcat}, {@code ```java security}) are the
 * starter's to compile.
 */
final class DocumentationTest {

    private static final Path ROOT = Path.of("..");
    private static final Path README = ROOT.resolve("README.md");

    @Test
    void everyJavaSnippetCompilesAsWritten(@TempDir Path classes) {
        List<JavaSnippets.Snippet> all = JavaSnippets.of(README);
        List<JavaSnippets.Snippet> plain = all.stream().filter(s -> s.tag().isEmpty()).toList();

        assertThat(all).extracting(JavaSnippets.Snippet::tag).containsOnly("", "spring", "tomcat", "security");
        assertThat(plain).hasSizeGreaterThanOrEqualTo(8);
        assertThat(JavaSnippets.compile(plain, classes)).isEmpty();
    }

    @Test
    void everyRelativeLinkResolvesInsideTheRepository() {
        assertThat(MarkdownLinks.broken(README, ROOT)).isEmpty();
    }
}
