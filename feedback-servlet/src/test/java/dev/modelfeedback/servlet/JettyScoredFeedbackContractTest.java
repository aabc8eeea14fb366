package dev.modelfeedback.servlet;

/** The {@code /feedback} contract of scored feedback on real embedded Jetty 12 (ee10). */
final class JettyScoredFeedbackContractTest extends ScoredFeedbackContractTest {

    @Override
    ServletContainer newContainer() {
        return new JettyContainer();
    }
}
