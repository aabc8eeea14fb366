package dev.modelfeedback.spring.boot;

import dev.modelfeedback.core.join.PendingStore;
import dev.modelfeedback.redis.RedisPendingStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures the shared store of pending predictions in Redis when
 * {@code modelfeedback.pending.store=redis} and {@code feedback-redis} is on the classpath, from
 * the {@code modelfeedback.pending.redis.*} properties; the model set then uses it. A
 * {@link PendingStore} bean of the application's own takes its place. The store connects lazily
 * (a Redis that is down delays nothing at start-up: requests that need it answer 503 until it is
 * back) and is closed with the application.
 */
@AutoConfiguration(before = ModelFeedbackAutoConfiguration.class)
@ConditionalOnClass(RedisPendingStore.class)
@ConditionalOnProperty(prefix = ModelFeedbackProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ModelFeedbackProperties.class)
public class RedisPendingStoreAutoConfiguration {

    /** For Spring: an auto-configuration is created by the container. */
    public RedisPendingStoreAutoConfiguration() {
    }

    /**
     * The Redis store, its settings checked with errors naming their property.
     *
     * @param properties the {@code modelfeedback.*} properties
     * @return the store, not yet connected
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(PendingStore.class)
    @ConditionalOnProperty(prefix = ModelFeedbackProperties.PREFIX + ".pending", name = "store", havingValue = "redis")
    public RedisPendingStore modelFeedbackPendingStore(ModelFeedbackProperties properties) {
        String prefix = ModelFeedbackProperties.PREFIX + ".pending";
        ModelFeedbackProperties.Pending pending = properties.pending();
        ModelFeedbackProperties.Redis redis = pending.redis();
        RedisPendingStore.Builder builder = PropertyCheck.check(prefix + ".redis.uri", redis.uri(),
                () -> RedisPendingStore.builder(redis.uri()));
        builder.username(redis.username()).password(redis.password());
        PropertyCheck.check(prefix + ".redis.key-prefix", redis.keyPrefix(), () -> builder.keyPrefix(redis.keyPrefix()));
        PropertyCheck.check(prefix + ".ttl", pending.ttl(), () -> builder.ttl(pending.ttl()));
        PropertyCheck.check(prefix + ".redis.command-timeout", redis.commandTimeout(),
                () -> builder.commandTimeout(redis.commandTimeout()));
        PropertyCheck.check(prefix + ".redis.connect-timeout", redis.connectTimeout(),
                () -> builder.connectTimeout(redis.connectTimeout()));
        PropertyCheck.check(prefix + ".redis.capacity", redis.capacity(), () -> builder.capacity(redis.capacity()));
        Long expectedIds = redis.expectedIds();
        if (expectedIds != null) {
            PropertyCheck.check(prefix + ".redis.expected-ids", expectedIds, () -> builder.expectedIds(expectedIds));
        }
        return builder.build();
    }
}
