package dev.modelfeedback.spring.boot.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.JavaSnippets;
import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Spring Security protecting the starter's {@code /feedback}, as the README shows it: a real Boot
 * application on embedded Tomcat over real HTTP, with {@link FeedbackWriters} (the README's
 * snippet, verbatim). Runs in its own test execution, the only one with Spring Security on the
 * class path (elsewhere Boot would secure every endpoint of every test application).
 */
@SpringBootTest(classes = SpringSecurityOverHttpTest.Application.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "modelfeedback.models.fraud.version=v3",
                "management.endpoints.web.exposure.include=prometheus"})
final class SpringSecurityOverHttpTest {

    private static final String ITEM = "{\"prediction\":1,\"actual\":1}";

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(FeedbackWriters.class)
    static class Application {
    }

    /** As an operator would store it: the hash, with its encoder's prefix ({bcrypt}...). */
    @DynamicPropertySource
    static void writerPassword(DynamicPropertyRegistry properties) {
        String hash = PasswordEncoderFactories.createDelegatingPasswordEncoder().encode("s3cret");
        properties.add("feedback.writer.password-hash", () -> hash);
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Value("${local.server.port}")
    private int port;
    @Autowired
    private ModelSet models;

    private HttpResponse<String> send(String method, String path, @Nullable String credentials) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, method.equals("POST")
                        ? HttpRequest.BodyPublishers.ofString(ITEM)
                        : HttpRequest.BodyPublishers.noBody());
        if (credentials != null) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlyAuthenticatedWritersCountAndReadingStaysOpen() throws Exception {
        HttpResponse<String> anonymous = send("POST", "/feedback", null);
        HttpResponse<String> wrongPassword = send("POST", "/feedback", "model-server:guess");
        HttpResponse<String> writer = send("POST", "/feedback", "model-server:s3cret");

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Basic "));
        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(writer.statusCode()).as(writer.body()).isEqualTo(200);
        assertThat(models.recorder("fraud").snapshot()).isEqualTo(new ClassificationSnapshot(1, 0, 0, 0));

        assertThat(send("GET", "/feedback", null).statusCode()).isEqualTo(200);
        HttpResponse<String> scrape = send("GET", "/actuator/prometheus", null);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("true_positives_total{model=\"fraud\",model_version=\"v3\"} 1.0");
    }

    /** The README's snippet is this package's {@link FeedbackWriters}, so it compiles and is what runs here. */
    @Test
    void theReadmesSnippetIsTheConfigurationTested() throws IOException {
        List<JavaSnippets.Snippet> snippets = JavaSnippets.of(Path.of("../README.md")).stream()
                .filter(s -> s.tag().equals("security")).toList();
        String source = Files.readString(Path.of("src/test/java/dev/modelfeedback/spring/boot/security/FeedbackWriters.java"));

        assertThat(snippets).hasSize(1);
        assertThat(source.substring(source.indexOf("import "))).isEqualTo(snippets.get(0).code());
    }
}
