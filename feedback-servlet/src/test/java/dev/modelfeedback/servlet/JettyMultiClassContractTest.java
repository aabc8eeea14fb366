package dev.modelfeedback.servlet;

/** The {@code /feedback} contract of models with declared classes on real embedded Jetty 12 (ee10). */
final class JettyMultiClassContractTest extends MultiClassContractTest {

    @Override
    ServletContainer newContainer() {
        return new JettyContainer();
    }
}
