/**
 * Spring Boot auto-configuration of model-feedback: the application's
 * {@link dev.modelfeedback.core.ModelSet} from {@code modelfeedback.*} properties
 * ({@link dev.modelfeedback.spring.boot.ModelFeedbackAutoConfiguration}) and the
 * {@code /feedback} servlet ({@link dev.modelfeedback.spring.boot.FeedbackServletAutoConfiguration}).
 */
@NullMarked
package dev.modelfeedback.spring.boot;

import org.jspecify.annotations.NullMarked;
