package dev.modelfeedback.servlet;

/** The {@code /feedback} contract on real embedded Tomcat 11. */
final class TomcatFeedbackContractTest extends FeedbackContractTest {

    @Override
    ServletContainer newContainer() {
        return new TomcatContainer();
    }

    @Override
    boolean closesTheConnectionAfterARefusal() {
        return true;
    }
}
