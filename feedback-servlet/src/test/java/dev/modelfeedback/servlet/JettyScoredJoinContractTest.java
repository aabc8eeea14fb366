package dev.modelfeedback.servlet;

/** Scores that ride with a prediction by id, on real embedded Jetty 12 (ee10). */
final class JettyScoredJoinContractTest extends ScoredJoinContractTest {

    @Override
    ServletContainer newContainer() {
        return new JettyContainer();
    }
}
