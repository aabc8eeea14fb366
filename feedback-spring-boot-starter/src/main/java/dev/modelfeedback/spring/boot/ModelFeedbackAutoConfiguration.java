package dev.modelfeedback.spring.boot;

import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.join.PendingStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures the {@link ModelSet} of the application from the {@code modelfeedback.*}
 * properties ({@link ModelFeedbackProperties}), publishing to the application's
 * {@link MeterRegistry}. Other beans inject it to record in-process:
 *
 * <pre>{@code
 * @Service
 * class ChargebackListener {
 *     private final FeedbackRecorder fraud;
 *
 *     ChargebackListener(ModelSet models) {
 *         this.fraud = models.recorder("fraud");
 *     }
 *
 *     void onChargeback(Transaction t) {
 *         fraud.record(t.predictedFraud() ? 1 : 0, 1);
 *     }
 * }
 * }</pre>
 *
 * <p>Active when a {@link MeterRegistry} bean exists (Spring Boot's actuator provides one) and
 * {@code modelfeedback.enabled} is not {@code false}. A {@link ModelSet} bean of the application's
 * own replaces the one built from properties; a {@link PendingStore} bean replaces the in-memory
 * store; {@link FeedbackRecorderCustomizer} beans adjust every model's recorder.
 */
@AutoConfiguration(afterName = {
        // Where Boot registers its MeterRegistry beans: Spring Boot 4, then Spring Boot 3.
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass({ModelSet.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(prefix = ModelFeedbackProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ModelFeedbackProperties.class)
public class ModelFeedbackAutoConfiguration {

    /** For Spring: an auto-configuration is created by the container. */
    public ModelFeedbackAutoConfiguration() {
    }

    /**
     * The models served, built from the properties; their meters are registered, at 0, now.
     *
     * @param registry the application's registry
     * @param properties the {@code modelfeedback.*} properties
     * @param pendingStore a store of the application's own, if any
     * @param customizers adjust every model's recorder
     * @return the model set
     */
    @Bean
    @ConditionalOnMissingBean
    public ModelSet modelSet(MeterRegistry registry, ModelFeedbackProperties properties,
            ObjectProvider<PendingStore> pendingStore, ObjectProvider<FeedbackRecorderCustomizer> customizers) {
        return ModelSetFactory.create(properties, registry, pendingStore.getIfAvailable(),
                customizers.orderedStream().toList());
    }
}
