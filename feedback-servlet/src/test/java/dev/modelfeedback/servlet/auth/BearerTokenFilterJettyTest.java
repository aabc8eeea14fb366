package dev.modelfeedback.servlet.auth;

/** {@link BearerTokenFilter} on real embedded Jetty 12 (ee10). */
final class BearerTokenFilterJettyTest extends BearerTokenFilterContract {

    @Override
    FilteredContainer newContainer() {
        return new JettyFilteredContainer();
    }
}
