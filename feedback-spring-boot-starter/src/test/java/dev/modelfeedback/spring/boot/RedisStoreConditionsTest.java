package dev.modelfeedback.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.join.InMemoryPendingStore;
import dev.modelfeedback.core.join.PendingStore;
import dev.modelfeedback.redis.RedisPendingStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code modelfeedback.pending.store=redis}: the Redis store from properties, checked with errors
 * naming the property. No Redis server is needed: the store connects only when it is used.
 */
final class RedisStoreConditionsTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ModelFeedbackAutoConfiguration.class,
                    RedisPendingStoreAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    @Test
    void theRedisStoreComesFromTheProperties() {
        runner.withPropertyValues("modelfeedback.pending.store=redis", "modelfeedback.pending.redis.uri=redis://10.0.0.7:6380/2",
                "modelfeedback.pending.redis.key-prefix=fraud-service:", "modelfeedback.pending.redis.command-timeout=500ms",
                "modelfeedback.pending.redis.capacity=5000000", "modelfeedback.pending.ttl=48h").run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(RedisPendingStore.class);
                    RedisPendingStore store = context.getBean(RedisPendingStore.class);
                    assertThat(context.getBean(ModelSet.class).pendingStore()).isSameAs(store);
                    assertThat(store.location()).isEqualTo("redis://10.0.0.7:6380/2");
                    assertThat(store.keyPrefix()).isEqualTo("fraud-service:");
                    assertThat(store.ttl()).isEqualTo(Duration.ofHours(48));
                    assertThat(store.commandTimeout()).isEqualTo(Duration.ofMillis(500));
                    assertThat(store.capacity()).isEqualTo(5_000_000);
                    assertThat(store.shared()).isTrue();
                });
    }

    @Test
    void theInMemoryStoreIsTheDefault() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(RedisPendingStore.class);
            assertThat(context.getBean(ModelSet.class).pendingStore()).isInstanceOf(InMemoryPendingStore.class);
        });
    }

    @Test
    void anApplicationsOwnStoreWins() {
        InMemoryPendingStore own = new InMemoryPendingStore(100, Duration.ofMinutes(5));
        runner.withPropertyValues("modelfeedback.pending.store=redis")
                .withBean(PendingStore.class, () -> own)
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(RedisPendingStore.class);
                    assertThat(context.getBean(ModelSet.class).pendingStore()).isSameAs(own);
                });
    }

    @Test
    void aBadSettingStopsTheStartNamingItsProperty() {
        runner.withPropertyValues("modelfeedback.pending.store=redis", "modelfeedback.pending.redis.uri=http://redis:6379")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
                                e -> assertThat(e.getName()).isEqualTo("modelfeedback.pending.redis.uri")));
        runner.withPropertyValues("modelfeedback.pending.store=redis", "modelfeedback.pending.redis.command-timeout=0")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
                                e -> assertThat(e.getName()).isEqualTo("modelfeedback.pending.redis.command-timeout")));
        runner.withPropertyValues("modelfeedback.pending.store=redis", "modelfeedback.pending.redis.capacity=0")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
                            assertThat(e.getName()).isEqualTo("modelfeedback.pending.redis.capacity");
                            assertThat(e.getReason()).isEqualTo("capacity must be between 1 and 2^40, got 0");
                        }));
    }

    @Test
    void theRedisCapacityIsOneMillionIdsPerModelUnlessSet() {
        runner.withPropertyValues("modelfeedback.pending.store=redis").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(RedisPendingStore.class).capacity()).isEqualTo(1_000_000);
        });
    }

    @Test
    void redisWithoutTheRedisModuleIsAClearError() {
        runner.withClassLoader(new FilteredClassLoader(RedisPendingStore.class))
                .withPropertyValues("modelfeedback.pending.store=redis")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
                            assertThat(e.getName()).isEqualTo("modelfeedback.pending.store");
                            assertThat(e.getReason()).isEqualTo(
                                    "the Redis store needs dev.modelfeedback:feedback-redis on the application's classpath");
                        }));
    }
}
