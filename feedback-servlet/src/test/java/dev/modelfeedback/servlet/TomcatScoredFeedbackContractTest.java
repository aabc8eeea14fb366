package dev.modelfeedback.servlet;

/** The {@code /feedback} contract of scored feedback on real embedded Tomcat 11. */
final class TomcatScoredFeedbackContractTest extends ScoredFeedbackContractTest {

    @Override
    ServletContainer newContainer() {
        return new TomcatContainer();
    }
}
