package dev.modelfeedback.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.join.InMemoryPendingStore;
import dev.modelfeedback.core.join.PendingStore;
import dev.modelfeedback.core.window.Window;
import dev.modelfeedback.servlet.FeedbackServlet;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** When the starter configures what, and when it backs off. */
final class AutoConfigurationConditionsTest {

    private static final AutoConfigurations STARTER = AutoConfigurations.of(
            ModelFeedbackAutoConfiguration.class, FeedbackServletAutoConfiguration.class);

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(STARTER)
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    @Test
    void servletWebApplicationGetsTheModelSetAndTheServlet() {
        web.withPropertyValues("modelfeedback.models.fraud.version=v3").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ModelSet.class);
            assertThat(context.getBean(ModelSet.class).registry()).isSameAs(context.getBean(MeterRegistry.class));
            ServletRegistrationBean<?> servlet = context.getBean("feedbackServletRegistration", ServletRegistrationBean.class);
            assertThat(servlet.getServlet()).isInstanceOf(FeedbackServlet.class);
            assertThat(servlet.getServletName()).isEqualTo("feedbackServlet");
            assertThat(servlet.getUrlMappings()).containsExactly("/feedback");
            FilterRegistrationBean<?> filter = context.getBean("feedbackObservedPathFilter", FilterRegistrationBean.class);
            assertThat(filter.getFilter()).isInstanceOfSatisfying(ObservedPathFilter.class,
                    observed -> assertThat(observed.pathPattern()).isEqualTo("/feedback"));
            assertThat(filter.getUrlPatterns()).containsExactly("/feedback");
        });
    }

    @Test
    void pathComesFromTheProperty() {
        web.withPropertyValues("modelfeedback.path=/api/v1/feedback").run(context -> {
            ServletRegistrationBean<?> servlet = context.getBean("feedbackServletRegistration", ServletRegistrationBean.class);
            FilterRegistrationBean<?> filter = context.getBean("feedbackObservedPathFilter", FilterRegistrationBean.class);
            assertThat(servlet.getUrlMappings()).containsExactly("/api/v1/feedback");
            assertThat(filter.getUrlPatterns()).containsExactly("/api/v1/feedback");
        });
    }

    @Test
    void withoutAMeterRegistryNothingIsConfigured() {
        new WebApplicationContextRunner().withConfiguration(STARTER).run(context -> {
            assertThat(context).hasNotFailed()
                    .doesNotHaveBean(ModelSet.class)
                    .doesNotHaveBean(ServletRegistrationBean.class)
                    .doesNotHaveBean(FilterRegistrationBean.class);
        });
    }

    /** In-process recording needs no web server: the model set is there, the servlet is not. */
    @Test
    void anApplicationThatIsNotAServletWebApplicationGetsTheModelSetOnly() {
        new ApplicationContextRunner().withConfiguration(STARTER)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("modelfeedback.models.fraud.version=v3")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(ModelSet.class)
                            .doesNotHaveBean(ServletRegistrationBean.class)
                            .doesNotHaveBean(FilterRegistrationBean.class);
                    assertThat(context.getBean(ModelSet.class).recorder("fraud").model().version()).isEqualTo("v3");
                });
    }

    @Test
    void disabledConfiguresNothing() {
        web.withPropertyValues("modelfeedback.enabled=false", "modelfeedback.models.fraud.version=v3").run(context -> {
            assertThat(context).hasNotFailed()
                    .doesNotHaveBean(ModelSet.class)
                    .doesNotHaveBean(ModelFeedbackProperties.class)
                    .doesNotHaveBean(ServletRegistrationBean.class)
                    .doesNotHaveBean(FilterRegistrationBean.class);
            assertThat(context.getBean(MeterRegistry.class).getMeters()).isEmpty();
        });
    }

    @Test
    void theApplicationsModelSetWinsAndIsServed() {
        web.withUserConfiguration(OwnModelSet.class).withPropertyValues("modelfeedback.models.fraud.version=v3")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(ModelSet.class).hasBean("ownModels");
                    assertThat(context.getBean(ModelSet.class).all())
                            .extracting(recorder -> recorder.model().toString()).containsExactly("spam@v9");
                    assertThat(context.getBean(MeterRegistry.class).find("true.positives").tag("model", "fraud").meter())
                            .isNull();
                    assertThat(context).hasBean("feedbackServletRegistration");
                });
    }

    @Test
    void theApplicationsServletRegistrationWins() {
        web.withUserConfiguration(OwnServletRegistration.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ModelSet.class)
                    .hasSingleBean(ServletRegistrationBean.class).hasBean("ownFeedbackServlet")
                    .doesNotHaveBean(FilterRegistrationBean.class);
        });
    }

    @Test
    void theApplicationsFeedbackServletBeanWins() {
        web.withUserConfiguration(OwnServlet.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(FeedbackServlet.class)
                    .doesNotHaveBean(ServletRegistrationBean.class)
                    .doesNotHaveBean(FilterRegistrationBean.class);
        });
    }

    @Test
    void aPendingStoreBeanReplacesTheInMemoryOne() {
        InMemoryPendingStore own = new InMemoryPendingStore(64, Duration.ofMinutes(5));
        web.withBean(PendingStore.class, () -> own).run(context ->
                assertThat(context.getBean(ModelSet.class).pendingStore()).isSameAs(own));
    }

    @Test
    void customizersAdjustEveryModelBeforeItsOwnProperties() {
        web.withBean(FeedbackRecorderCustomizer.class, () -> recorder -> recorder.windows(Duration.ofMinutes(10)))
                .withPropertyValues(
                        "modelfeedback.models.fraud.version=v3",
                        "modelfeedback.models.churn.version=v1",
                        "modelfeedback.models.churn.windows=2m",
                        "modelfeedback.create-on-demand=3")
                .run(context -> {
                    ModelSet models = context.getBean(ModelSet.class);
                    assertThat(models.recorder("fraud").windows()).containsExactly(Window.of(Duration.ofMinutes(10)));
                    assertThat(models.recorder("churn").windows()).containsExactly(Window.of(Duration.ofMinutes(2)));
                    assertThat(models.recorder("spam").windows()).containsExactly(Window.of(Duration.ofMinutes(10)));
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnModelSet {
        @Bean
        ModelSet ownModels(MeterRegistry registry) {
            return ModelSet.builder(registry).model("spam", "v9").build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnServletRegistration {
        @Bean
        ServletRegistrationBean<FeedbackServlet> ownFeedbackServlet(ModelSet models) {
            return new ServletRegistrationBean<>(new FeedbackServlet(models), "/api/feedback");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnServlet {
        @Bean
        FeedbackServlet ownServlet(ModelSet models) {
            return new FeedbackServlet(models);
        }
    }
}
