package dev.modelfeedback.spring.boot;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Reports a value the core or the servlet refuses as the property it came from: Spring Boot prints
 * an {@link InvalidConfigurationPropertyValueException} at start-up with the property's name, the
 * value, where the value was set and the reason (the refusal's own message).
 */
final class PropertyCheck {

    private PropertyCheck() {
    }

    /**
     * Runs {@code check}, turning its {@link IllegalArgumentException} into the property's error.
     *
     * @param property the property's full name, such as {@code modelfeedback.pending.ttl}
     * @param value the property's value, as bound
     * @param check what uses the value and refuses a bad one
     * @return what {@code check} returned
     * @throws InvalidConfigurationPropertyValueException if {@code check} refused the value
     */
    static <T> T check(String property, @Nullable Object value, Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
        }
    }
}
