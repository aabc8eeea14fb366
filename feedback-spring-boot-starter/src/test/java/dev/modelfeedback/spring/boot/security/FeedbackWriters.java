package dev.modelfeedback.spring.boot.security;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

@Configuration
class FeedbackWriters {

    /** Only model servers may POST feedback; reading it, /actuator and the rest stay as they were. */
    @Bean
    SecurityFilterChain feedbackWritersOnly(HttpSecurity http) throws Exception {
        return http
                .securityMatcher("/feedback")
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.POST, "/feedback").hasRole("FEEDBACK_WRITER")
                        .anyRequest().permitAll())
                .httpBasic(Customizer.withDefaults())
                // Programs, not browsers, write feedback: no session and no CSRF token to carry.
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
    }

    /** One account for the model servers; its password hash comes from the configuration. */
    @Bean
    UserDetailsService feedbackWriterAccounts(@Value("${feedback.writer.password-hash}") String passwordHash) {
        return new InMemoryUserDetailsManager(User.withUsername("model-server")
                .password(passwordHash)
                .roles("FEEDBACK_WRITER")
                .build());
    }
}
