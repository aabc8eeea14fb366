package dev.modelfeedback.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** The status page through the starter: on by default, off with {@code modelfeedback.status-page=false}. */
final class StatusPageOverHttpTest {

    static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    @Nested
    @SpringBootTest(classes = FeedbackTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    final class ByDefault {

        @Value("${local.server.port}")
        private int port;

        @Test
        void aBrowserGetsThePageAndAProgramTheJson() {
            Http http = new Http(port);

            Http.Answer page = http.get("/feedback", BROWSER);
            Http.Answer json = http.get("/feedback");

            assertThat(page.status()).isEqualTo(200);
            assertThat(page.contentType()).isEqualToIgnoringCase("text/html;charset=UTF-8");
            assertThat(page.body()).startsWith("<!DOCTYPE html>");
            assertThat(json.contentType()).isEqualToIgnoringCase("application/json;charset=UTF-8");
            assertThat(json.body()).startsWith("{\"models\":[{\"model\":\"default\"");
        }
    }

    @Nested
    @SpringBootTest(classes = FeedbackTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = "modelfeedback.status-page=false")
    final class TurnedOff {

        @Value("${local.server.port}")
        private int port;

        @Test
        void aBrowserGetsTheJsonToo() {
            Http http = new Http(port);

            Http.Answer answer = http.get("/feedback", BROWSER);

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.contentType()).isEqualToIgnoringCase("application/json;charset=UTF-8");
            assertThat(answer.body()).startsWith("{\"models\":[{\"model\":\"default\"");
        }
    }
}
