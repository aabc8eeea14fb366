package dev.modelfeedback.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.ModelSet;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationContext;

/** {@code modelfeedback.enabled=false}: nothing of model-feedback in the application. */
@SpringBootTest(classes = FeedbackTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "modelfeedback.enabled=false",
                "modelfeedback.models.fraud.version=v3",
                "management.endpoints.web.exposure.include=prometheus"})
final class DisabledOverHttpTest {

    @Value("${local.server.port}")
    private int port;
    @Autowired
    private ApplicationContext context;
    @Autowired
    private MeterRegistry registry;

    @Test
    void registersNothing() {
        Http http = new Http(port);

        assertThat(http.post("/feedback", "{\"prediction\":1,\"actual\":1}").status()).isEqualTo(404);
        assertThat(context.getBeansOfType(ModelSet.class)).isEmpty();
        assertThat(context.getBeansOfType(ModelFeedbackProperties.class)).isEmpty();
        assertThat(context.getBeansOfType(ServletRegistrationBean.class)).doesNotContainKey("feedbackServletRegistration");
        assertThat(context.getBeansOfType(FilterRegistrationBean.class)).doesNotContainKey("feedbackObservedPathFilter");
        assertThat(registry.find("true.positives").meter()).isNull();
        assertThat(registry.find("feedback.rejected").meter()).isNull();
        assertThat(http.scrape()).noneMatch(line -> line.startsWith("true_positives_total")
                || line.startsWith("feedback_rejected_total"));
    }
}
