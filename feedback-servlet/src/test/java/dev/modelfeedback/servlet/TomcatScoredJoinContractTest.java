package dev.modelfeedback.servlet;

/** Scores that ride with a prediction by id, on real embedded Tomcat 11. */
final class TomcatScoredJoinContractTest extends ScoredJoinContractTest {

    @Override
    ServletContainer newContainer() {
        return new TomcatContainer();
    }
}
