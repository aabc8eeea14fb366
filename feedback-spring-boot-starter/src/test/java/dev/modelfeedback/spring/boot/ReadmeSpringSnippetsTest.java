package dev.modelfeedback.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.JavaSnippets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Spring Boot and embedded Tomcat snippets ({@code ```java spring}, {@code ```java
 * tomcat}) compile as written, against the starter and the Tomcat that Boot's web starter brings.
 */
final class ReadmeSpringSnippetsTest {

    @Test
    void everySpringSnippetCompilesAsWritten(@TempDir Path classes) {
        List<JavaSnippets.Snippet> spring = JavaSnippets.of(Path.of("../README.md")).stream()
                .filter(s -> s.tag().equals("spring") || s.tag().equals("tomcat")).toList();

        assertThat(spring).hasSizeGreaterThanOrEqualTo(3);
        assertThat(JavaSnippets.compile(spring, classes)).isEmpty();
    }
}
