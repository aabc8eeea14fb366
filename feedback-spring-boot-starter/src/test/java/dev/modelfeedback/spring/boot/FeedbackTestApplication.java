package dev.modelfeedback.spring.boot;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * A Spring Boot application with nothing of its own: Boot's auto-configuration, the starter's
 * included, does everything. No component scan, so each test names the beans it adds.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class FeedbackTestApplication {
}
