package dev.modelfeedback.spring.boot;

import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.servlet.FeedbackLimits;
import dev.modelfeedback.servlet.FeedbackServlet;
import java.util.regex.Pattern;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures {@link FeedbackServlet} at {@code modelfeedback.path} ({@code /feedback} by
 * default) in a servlet web application, feeding the application's {@link ModelSet}.
 *
 * <p>The servlet is loaded on start-up, not on its first request as Spring Boot loads servlets by
 * default, so {@code feedback_rejected_total} exists at 0 from the first scrape, like the models'
 * own series. A filter on the same path gives Spring Boot's request metrics
 * ({@code http.server.requests}) the servlet's path as their {@code uri} tag instead of
 * {@code UNKNOWN}.
 *
 * <p>Backs off when the application registers a {@link FeedbackServlet} of its own, as a bean or
 * in a {@code ServletRegistrationBean<FeedbackServlet>}, and when {@code modelfeedback.enabled}
 * is {@code false}.
 */
@AutoConfiguration(after = ModelFeedbackAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean(ModelSet.class)
@ConditionalOnMissingBean(value = FeedbackServlet.class, parameterizedContainer = ServletRegistrationBean.class)
@ConditionalOnProperty(prefix = ModelFeedbackProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ModelFeedbackProperties.class)
public class FeedbackServletAutoConfiguration {

    /** The servlet's name in the container. */
    public static final String SERVLET_NAME = "feedbackServlet";

    /** An exact path: segments without wildcards, no trailing slash. */
    private static final Pattern EXACT_PATH = Pattern.compile("(/[^/*?#;\\s]+)+");

    /** For Spring: an auto-configuration is created by the container. */
    public FeedbackServletAutoConfiguration() {
    }

    /**
     * The servlet, at {@code modelfeedback.path}, loaded on start-up.
     *
     * @param models the models it feeds
     * @param properties the {@code modelfeedback.*} properties
     * @return its registration
     */
    @Bean
    public ServletRegistrationBean<FeedbackServlet> feedbackServletRegistration(ModelSet models,
            ModelFeedbackProperties properties) {
        String prefix = ModelFeedbackProperties.PREFIX;
        long maxBodyBytes = properties.maxBodySize().toBytes();
        PropertyCheck.check(prefix + ".max-body-size", properties.maxBodySize(),
                () -> new FeedbackLimits(maxBodyBytes, FeedbackLimits.DEFAULT.maxBatchItems()));
        PropertyCheck.check(prefix + ".max-batch-items", properties.maxBatchItems(),
                () -> new FeedbackLimits(maxBodyBytes, properties.maxBatchItems()));
        FeedbackLimits limits = PropertyCheck.check(prefix + ".body-timeout", properties.bodyTimeout(),
                () -> new FeedbackLimits(maxBodyBytes, properties.maxBatchItems(), properties.bodyTimeout()));
        ServletRegistrationBean<FeedbackServlet> registration =
                new ServletRegistrationBean<>(new FeedbackServlet(models, limits, properties.statusPage()), path(properties));
        registration.setName(SERVLET_NAME);
        registration.setLoadOnStartup(1);
        // Bodies are received with non-blocking reads, which need it (Boot's default, made explicit).
        registration.setAsyncSupported(true);
        return registration;
    }

    /**
     * Names the servlet's path in Spring's request observations, so {@code http.server.requests}
     * gets {@code uri="/feedback"}; it does nothing where requests are not observed.
     *
     * @param properties the {@code modelfeedback.*} properties
     * @return its registration, on the servlet's path
     */
    @Bean
    public FilterRegistrationBean<ObservedPathFilter> feedbackObservedPathFilter(ModelFeedbackProperties properties) {
        String path = path(properties);
        FilterRegistrationBean<ObservedPathFilter> registration = new FilterRegistrationBean<>(new ObservedPathFilter(path));
        registration.addUrlPatterns(path);
        registration.setName("feedbackObservedPathFilter");
        registration.setAsyncSupported(true);
        return registration;
    }

    private static String path(ModelFeedbackProperties properties) {
        String path = properties.path();
        if (!EXACT_PATH.matcher(path).matches()) {
            throw new InvalidConfigurationPropertyValueException(ModelFeedbackProperties.PREFIX + ".path", path,
                    "the feedback servlet's path must be exact, such as /feedback: a leading '/', no wildcard,"
                            + " no trailing '/'");
        }
        return path;
    }
}
