package dev.modelfeedback.servlet.auth;

import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.model.Texts;
import dev.modelfeedback.servlet.BodyReceiver;
import dev.modelfeedback.servlet.FeedbackLimits;
import dev.modelfeedback.servlet.FeedbackServlet;
import dev.modelfeedback.servlet.JsonResponse;
import dev.modelfeedback.servlet.RejectedRequestException;
import dev.modelfeedback.servlet.RejectionReason;
import dev.modelfeedback.servlet.RequestRefusals;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Lets a request through only if it carries {@code Authorization: Bearer <token>} with one of the
 * {@link BearerTokens}; refuses every other with {@code 401}, a {@code WWW-Authenticate} challenge
 * (RFC 6750) and the endpoints' JSON error shape, and counts the refusal as
 * {@code reason="unauthorized"} in the endpoint's refusal counter. A refused request reaches no
 * servlet, so it counts no feedback and stores no prediction.
 *
 * <p>Programmatic registration, for example on embedded Jetty in front of {@code /feedback}:
 * <pre>{@code
 * BearerTokenFilter auth = BearerTokenFilter.builder(BearerTokens.load(Path.of("tokens")))
 *         .countIn(models.registry())   // feedback_rejected_total{reason="unauthorized"}
 *         .build();
 * FilterHolder holder = new FilterHolder(auth);
 * holder.setAsyncSupported(true);
 * context.addFilter(holder, "/feedback", EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 *
 * <p>Declarative registration ({@code web.xml}): the no-arg constructor reads the init parameter
 * {@value #TOKEN_FILE_PARAM} (the token file, see {@link BearerTokens#load}) and optionally
 * {@value #REALM_PARAM}, and counts in {@code feedback_rejected_total} of the registry of the
 * {@link ModelSet} in the context attribute {@value FeedbackServlet#MODELS_ATTRIBUTE}, the one
 * {@link FeedbackServlet} reads; declare it {@code <async-supported>true</async-supported>}.
 *
 * <p>The answers: no {@code Authorization} header, or one with another scheme, gets
 * {@code WWW-Authenticate: Bearer realm="model-feedback"}; a bearer token that is not accepted (or
 * several {@code Authorization} headers) gets {@code Bearer realm="model-feedback",
 * error="invalid_token"}. The body says what to send and never echoes what was sent. The rest of a
 * refused body is read and dropped as the endpoints do ({@link BodyReceiver}: without blocking, within its deadline), so the
 * client reads the 401 rather than a connection reset; a larger one closes the connection.
 *
 * <p>Thread-safe once initialized.
 */
public final class BearerTokenFilter implements Filter {

    /** The name of the counter of {@code /feedback}'s refusals, as {@link FeedbackServlet} registers it. */
    public static final String FEEDBACK_REJECTED = "feedback.rejected";
    /** The description of that counter, as {@link FeedbackServlet} registers it. */
    public static final String FEEDBACK_REJECTED_DESCRIPTION =
            "Feedback requests refused, by reason. A refused request counts no feedback.";
    /** The realm named in the challenge unless another is set. */
    public static final String DEFAULT_REALM = "model-feedback";
    /** Init parameter of the no-arg constructor: the token file. */
    public static final String TOKEN_FILE_PARAM = "tokenFile";
    /** Init parameter of the no-arg constructor: the realm, {@value #DEFAULT_REALM} if absent. */
    public static final String REALM_PARAM = "realm";

    private static final System.Logger LOG = System.getLogger(BearerTokenFilter.class.getName());
    /**
     * A refused body is kept to nothing and dropped, within the default deadline; a client that
     * misses it gets the 408 instead of the 401, and counts in both.
     */
    private static final FeedbackLimits DISCARD = new FeedbackLimits(1, 1);
    private static final String MISSING = "this endpoint needs a bearer token: send Authorization: Bearer <token>";
    private static final String OTHER_SCHEME = MISSING + " (the Authorization header given uses another scheme)";
    private static final String INVALID = "the bearer token is not valid";

    private @Nullable BearerTokens tokens;
    private @Nullable RequestRefusals refusals;
    private @Nullable String challenge;

    /** For {@code web.xml}: configured from init parameters when the container initializes it. */
    public BearerTokenFilter() {
    }

    private BearerTokenFilter(BearerTokens tokens, RequestRefusals refusals, String realm) {
        this.tokens = tokens;
        this.refusals = refusals;
        this.challenge = challenge(realm);
    }

    /**
     * Starts a filter accepting these tokens.
     *
     * @param tokens the tokens accepted
     * @return a builder; {@link Builder#countIn} is required
     */
    public static Builder builder(BearerTokens tokens) {
        return new Builder(tokens);
    }

    /** Builds a {@link BearerTokenFilter}. Not thread-safe; the filter it builds is. */
    public static final class Builder {

        private final BearerTokens tokens;
        private @Nullable MeterRegistry registry;
        private String meterName = FEEDBACK_REJECTED;
        private String description = FEEDBACK_REJECTED_DESCRIPTION;
        private String realm = DEFAULT_REALM;

        private Builder(BearerTokens tokens) {
            this.tokens = Objects.requireNonNull(tokens, "tokens");
        }

        /**
         * Counts refusals in {@code feedback_rejected_total{reason="unauthorized"}}, the counter
         * {@link FeedbackServlet} registers (Micrometer hands both the same counter).
         *
         * @param registry the registry of the {@link ModelSet} behind {@code /feedback}
         * @return this builder
         * @throws IllegalStateException if a registry was already set
         */
        public Builder countIn(MeterRegistry registry) {
            return countIn(registry, FEEDBACK_REJECTED, FEEDBACK_REJECTED_DESCRIPTION);
        }

        /**
         * Counts refusals in another endpoint's refusal counter, tagged {@code reason="unauthorized"}.
         *
         * @param registry the registry
         * @param meterName the counter's name, for example {@code predict.rejected}; it must be
         *     registered with the tag {@code reason} alone, and with this description, wherever else
         * @param description the counter's description, a full sentence
         * @return this builder
         * @throws IllegalStateException if a registry was already set
         * @throws IllegalArgumentException if the name or the description is blank
         */
        public Builder countIn(MeterRegistry registry, String meterName, String description) {
            if (this.registry != null) {
                throw new IllegalStateException("the registry to count refusals in was already set");
            }
            if (meterName.isBlank()) {
                throw new IllegalArgumentException("meterName must not be blank");
            }
            if (description.isBlank()) {
                throw new IllegalArgumentException("description must not be blank");
            }
            this.registry = Objects.requireNonNull(registry, "registry");
            this.meterName = meterName;
            this.description = description;
            return this;
        }

        /**
         * Names the realm in the challenge, {@value #DEFAULT_REALM} by default.
         *
         * @param name 1 to 64 printable ASCII characters, without {@code "} or {@code \}
         * @return this builder
         * @throws IllegalArgumentException if the name is not such
         */
        public Builder realm(String name) {
            challenge(name);
            this.realm = name;
            return this;
        }

        /**
         * @return the filter
         * @throws IllegalStateException if no registry to count refusals in was set
         */
        public BearerTokenFilter build() {
            if (registry == null) {
                throw new IllegalStateException("refusals must be counted: call countIn(registry) before build()");
            }
            return new BearerTokenFilter(tokens, refusals(registry, meterName, description), realm);
        }
    }

    private static RequestRefusals refusals(MeterRegistry registry, String meterName, String description) {
        return new RequestRefusals(registry, meterName, description, EnumSet.of(RejectionReason.UNAUTHORIZED, RejectionReason.BODY_TIMEOUT), LOG);
    }

    /** {@code Bearer realm="NAME"}, once the name is checked. */
    private static String challenge(String realm) {
        Objects.requireNonNull(realm, "realm");
        boolean printable = !realm.isEmpty() && realm.length() <= 64
                && realm.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\');
        if (!printable) {
            throw new IllegalArgumentException("realm must be 1 to 64 printable ASCII characters without \" or \\");
        }
        return "Bearer realm=\"" + realm + "\"";
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        if (tokens != null) {
            return;
        }
        String file = config.getInitParameter(TOKEN_FILE_PARAM);
        if (file == null || file.isBlank()) {
            throw new ServletException("BearerTokenFilter needs the init parameter " + TOKEN_FILE_PARAM
                    + ": the file of the bearer tokens it accepts, one per line");
        }
        Object models = config.getServletContext().getAttribute(FeedbackServlet.MODELS_ATTRIBUTE);
        if (!(models instanceof ModelSet modelSet)) {
            throw new ServletException("BearerTokenFilter counts its refusals in the registry of the ModelSet in the"
                    + " ServletContext attribute " + FeedbackServlet.MODELS_ATTRIBUTE + "; set it before the filter starts"
                    + (models == null ? "" : "; the attribute holds a " + models.getClass().getName()));
        }
        String realm = config.getInitParameter(REALM_PARAM);
        try {
            challenge = challenge(realm == null ? DEFAULT_REALM : realm);
            tokens = BearerTokens.load(Path.of(file));
        } catch (TokenFileException | IllegalArgumentException e) {
            throw new ServletException("invalid BearerTokenFilter init parameter: " + e.getMessage(), e);
        }
        refusals = refusals(modelSet.registry(), FEEDBACK_REJECTED, FEEDBACK_REJECTED_DESCRIPTION);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        BearerTokens accepted = tokens;
        RequestRefusals counted = refusals;
        String bearer = challenge;
        if (accepted == null || counted == null || bearer == null) {
            throw new ServletException("BearerTokenFilter was not initialized");
        }
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse answer)) {
            throw new ServletException("BearerTokenFilter serves HTTP requests only");
        }
        List<String> headers = Collections.list(http.getHeaders("Authorization"));
        String refusal;
        String header;
        if (headers.isEmpty()) {
            refusal = MISSING;
            header = bearer;
        } else if (headers.size() > 1) {
            refusal = INVALID;
            header = bearer + ", error=\"invalid_token\"";
        } else {
            String credentials = headers.get(0).strip();
            int space = credentials.indexOf(' ');
            String scheme = space < 0 ? credentials : credentials.substring(0, space);
            if (!scheme.toLowerCase(Locale.ROOT).equals("bearer")) {
                refusal = OTHER_SCHEME;
                header = bearer;
            } else {
                String token = space < 0 ? "" : credentials.substring(space + 1).stripLeading();
                // The syntax check stops early on a bad character, which tells an attacker only
                // what RFC 6750 already says; the comparison with the tokens does not.
                if (BearerTokens.isToken(token) && accepted.accepts(token)) {
                    chain.doFilter(request, response);
                    return;
                }
                refusal = INVALID;
                header = bearer + ", error=\"invalid_token\"";
            }
        }
        refuse(http, answer, counted, refusal, header);
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, RequestRefusals refusals,
            String message, String challenge) throws IOException {
        JsonResponse refused = refusals.refuse(new RejectedRequestException(RejectionReason.UNAUTHORIZED, message),
                () -> " (" + Texts.quote(request.getMethod()) + " from " + request.getRemoteAddr() + ")");
        response.setHeader("WWW-Authenticate", challenge);
        // The rest of the body is dropped without blocking, within the deadline, so that an
        // unauthenticated slow client holds no thread either.
        new BodyReceiver(DISCARD, refusals, "").receive(request, response, body -> refused);
    }
}
