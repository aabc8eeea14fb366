package dev.modelfeedback.servlet;

/** The {@code /feedback} contract of models with declared classes on real embedded Tomcat 11. */
final class TomcatMultiClassContractTest extends MultiClassContractTest {

    @Override
    ServletContainer newContainer() {
        return new TomcatContainer();
    }
}
