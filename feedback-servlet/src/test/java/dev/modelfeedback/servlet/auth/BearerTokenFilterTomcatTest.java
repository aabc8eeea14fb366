package dev.modelfeedback.servlet.auth;

/** {@link BearerTokenFilter} on real embedded Tomcat 11. */
final class BearerTokenFilterTomcatTest extends BearerTokenFilterContract {

    @Override
    FilteredContainer newContainer() {
        return new TomcatFilteredContainer();
    }
}
