package dev.modelfeedback.servlet;

/** The {@code /feedback} contract on real embedded Jetty 12 (ee10). */
final class JettyFeedbackContractTest extends FeedbackContractTest {

    @Override
    ServletContainer newContainer() {
        return new JettyContainer();
    }

    @Override
    boolean closesTheConnectionAfterARefusal() {
        return false;
    }
}
