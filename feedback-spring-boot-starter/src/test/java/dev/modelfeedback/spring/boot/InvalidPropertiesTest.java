package dev.modelfeedback.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** A bad property stops the application at start-up, with an error naming it, its value and why. */
final class InvalidPropertiesTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ModelFeedbackAutoConfiguration.class,
                    FeedbackServletAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    /**
     * @param properties what the application sets
     * @param property the property the error names
     * @param value the value it shows
     * @param reason why the value is refused
     */
    record Invalid(List<String> properties, String property, String value, String reason) {

        static Invalid of(String property, String value, String reason, String... properties) {
            return new Invalid(List.of(properties), property, value, reason);
        }

        @Override
        public String toString() {
            return String.join(" ", properties);
        }
    }

    static List<Invalid> invalid() {
        String nameRule = " must start with a letter or digit and contain only letters, digits and . _ - + :, got ";
        String window = "a window's span must be a whole number of 30 seconds from 30s to 30d, got ";
        return List.of(
                Invalid.of("modelfeedback.models.fraud.version", "v 3", "model version" + nameRule + "'v 3'",
                        "modelfeedback.models.fraud.version=v 3"),
                Invalid.of("modelfeedback.models.ranker.versions", "v 2", "model version" + nameRule + "'v 2'",
                        "modelfeedback.models.ranker.versions=v1,v 2"),
                Invalid.of("modelfeedback.models.ranker.versions", "v1,v2",
                        "set either modelfeedback.models.ranker.version or modelfeedback.models.ranker.versions, not both",
                        "modelfeedback.models.ranker.version=v1", "modelfeedback.models.ranker.versions=v1,v2"),
                Invalid.of("modelfeedback.models.ranker.versions", "v1,v2,v1", "version 'v1' is listed twice",
                        "modelfeedback.models.ranker.versions=v1,v2,v1"),
                Invalid.of("modelfeedback.models", "fr@ud", "model" + nameRule + "'fr@ud'",
                        "modelfeedback.models[fr@ud].version=v1"),
                Invalid.of("modelfeedback.models[fraud.eu].version", "eu/v1", "model version" + nameRule + "'eu/v1'",
                        "modelfeedback.models[fraud.eu].version=eu/v1"),
                Invalid.of("modelfeedback.models", "churn", "models 'Churn' and 'churn' differ only in case, and their"
                                + " properties may have been merged; write a name with capitals in brackets, such as"
                                + " modelfeedback.models[Churn].version",
                        "modelfeedback.models[Churn].version=v9", "modelfeedback.models.churn.version=v1"),
                Invalid.of("modelfeedback.windows", "[PT45S]", window + "45s",
                        "modelfeedback.windows=45s"),
                Invalid.of("modelfeedback.windows", "[PT5M, PT5M]", "windows must not repeat, got [5m, 5m]",
                        "modelfeedback.windows=5m,300"),
                Invalid.of("modelfeedback.models.fraud.windows", "[PT10S]", window + "10s",
                        "modelfeedback.models.fraud.version=v3", "modelfeedback.models.fraud.windows=10s"),
                Invalid.of("modelfeedback.drift-detectors", "hddm",
                        "drift detector must be one of ddm, hddm_a, adwin, page_hinkley, got 'hddm'",
                        "modelfeedback.drift-detectors=hddm_a,hddm"),
                Invalid.of("modelfeedback.drift-detectors", "[adwin, adwin]",
                        "drift detectors must have distinct names, got [adwin, adwin]",
                        "modelfeedback.drift-detectors=adwin,adwin"),
                Invalid.of("modelfeedback.models.churn.drift-detectors", "none",
                        "drift detector must be one of ddm, hddm_a, adwin, page_hinkley, got 'none'",
                        "modelfeedback.models.churn.drift-detectors=adwin,none"),
                Invalid.of("modelfeedback.baseline.accuracy", "1.5", "baseline accuracy must be between 0 and 1, got 1.5",
                        "modelfeedback.baseline.accuracy=1.5"),
                Invalid.of("modelfeedback.models.fraud.baseline.f1", "-0.1", "baseline f1 must be between 0 and 1, got -0.1",
                        "modelfeedback.models.fraud.baseline.f1=-0.1"),
                Invalid.of("modelfeedback.baseline.from-first", "100", "a baseline is either a reference period or"
                                + " offline values, not both; modelfeedback.baseline also sets accuracy, recall",
                        "modelfeedback.baseline.accuracy=0.9", "modelfeedback.baseline.recall=0.8",
                        "modelfeedback.baseline.from-first=100"),
                Invalid.of("modelfeedback.baseline.from-first", "0", "a reference period must hold at least 1 item, got 0",
                        "modelfeedback.baseline.from-first=0"),
                Invalid.of("modelfeedback.models.intent.classes", "billing,tech,billing",
                        "model 'intent': class 'billing' is declared twice",
                        "modelfeedback.models.intent.classes=billing,tech,billing"),
                Invalid.of("modelfeedback.models.intent.classes", "billing", "model 'intent': classes must be 2 to 32"
                                + " labels, got 1",
                        "modelfeedback.models.intent.classes=billing"),
                Invalid.of("modelfeedback.models.intent.baseline.precision", "0.9", "model 'intent' declares classes:"
                                + " its baseline may set accuracy, macro-f1, roc-auc and log-loss",
                        "modelfeedback.models.intent.classes=a,b,c", "modelfeedback.models.intent.baseline.precision=0.9"),
                Invalid.of("modelfeedback.baseline.recall", "0.9", "model 'intent' declares classes:"
                                + " its baseline may set accuracy, macro-f1, roc-auc and log-loss",
                        "modelfeedback.models.intent.classes=a,b,c", "modelfeedback.baseline.recall=0.9"),
                Invalid.of("modelfeedback.baseline.macro-f1", "0.9", "model 'fraud' is binary: macro-f1 is for models"
                                + " with classes",
                        "modelfeedback.models.fraud.version=v3", "modelfeedback.baseline.macro-f1=0.9"),
                Invalid.of("modelfeedback.baseline.macro-f1", "1.1", "baseline macro_f1 must be between 0 and 1, got 1.1",
                        "modelfeedback.baseline.macro-f1=1.1"),
                Invalid.of("modelfeedback.baseline.roc-auc", "1.1", "baseline roc_auc must be between 0 and 1, got 1.1",
                        "modelfeedback.baseline.roc-auc=1.1"),
                Invalid.of("modelfeedback.models.fraud.baseline.log-loss", "-0.5",
                        "baseline log_loss must be a finite number of at least 0, got -0.5",
                        "modelfeedback.models.fraud.version=v3", "modelfeedback.models.fraud.baseline.log-loss=-0.5"),
                Invalid.of("modelfeedback.create-on-demand", "0", "maxModels must be between 1 and 10000, got 0",
                        "modelfeedback.create-on-demand=0"),
                Invalid.of("modelfeedback.create-on-demand", "1", "2 models are declared in modelfeedback.models (each version counts),"
                                + " more than the 1 the set may hold, declared ones included",
                        "modelfeedback.create-on-demand=1", "modelfeedback.models.fraud.version=v3",
                        "modelfeedback.models.churn.version=v1"),
                Invalid.of("modelfeedback.default-model", "spam", "the default model must be one of the declared"
                                + " models (fraud, churn), or models must be created on demand",
                        "modelfeedback.default-model=spam", "modelfeedback.models.fraud.version=v3",
                        "modelfeedback.models.churn.version=v1"),
                Invalid.of("modelfeedback.default-model", "my model", "model" + nameRule + "'my model'",
                        "modelfeedback.default-model=my model"),
                Invalid.of("modelfeedback.pending.capacity", "8", "capacity must be between 16 and 2147483647, got 8",
                        "modelfeedback.pending.capacity=8"),
                Invalid.of("modelfeedback.pending.ttl", "PT1.5S", "ttl must be whole seconds from 1s to 365 days, got PT1.5S",
                        "modelfeedback.pending.ttl=1500ms"),
                Invalid.of("modelfeedback.path", "/feedback/*", "the feedback servlet's path must be exact, such as"
                                + " /feedback: a leading '/', no wildcard, no trailing '/'",
                        "modelfeedback.path=/feedback/*"),
                Invalid.of("modelfeedback.path", "feedback", "the feedback servlet's path must be exact, such as"
                                + " /feedback: a leading '/', no wildcard, no trailing '/'",
                        "modelfeedback.path=feedback"),
                Invalid.of("modelfeedback.max-body-size", "0B", "maxBodyBytes must be positive, got 0",
                        "modelfeedback.max-body-size=0"),
                Invalid.of("modelfeedback.max-batch-items", "0", "maxBatchItems must be positive, got 0",
                        "modelfeedback.max-batch-items=0"),
                Invalid.of("modelfeedback.body-timeout", "PT0S", "bodyTimeout must be at least 1 ms, got PT0S",
                        "modelfeedback.body-timeout=0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void stopsTheStartWithAnErrorNamingTheProperty(Invalid invalid) {
        runner.withPropertyValues(invalid.properties().toArray(String[]::new)).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
                        assertThat(e.getName()).isEqualTo(invalid.property());
                        assertThat(String.valueOf(e.getValue())).isEqualTo(invalid.value());
                        assertThat(e.getReason()).isEqualTo(invalid.reason());
                    });
        });
    }

    /** Values Boot itself cannot convert are Boot's own binding errors, which name the property too. */
    @Test
    void aValueOfTheWrongTypeIsBootsBindingErrorNamingTheProperty() {
        runner.withPropertyValues("modelfeedback.create-on-demand=many").run(context -> {
            assertThat(context).hasFailed();
            Throwable cause = context.getStartupFailure();
            while (cause != null && !(cause instanceof BindException)) {
                cause = cause.getCause();
            }
            assertThat(cause).isInstanceOfSatisfying(BindException.class, e ->
                    assertThat(e.getProperty().getName().toString()).isEqualTo("modelfeedback.create-on-demand"));
        });
    }

    /**
     * What the developer sees: Boot's start-up report, from the real application. Its console is
     * captured here rather than with Boot's {@code OutputCaptureExtension}, which also copies
     * everything to the build's console.
     */
    @Test
    void theStartUpReportShowsThePropertyTheValueAndTheReason() {
        SpringApplication application = new SpringApplicationBuilder(FeedbackTestApplication.class)
                .web(WebApplicationType.NONE)
                .properties("modelfeedback.models.fraud.version=v 3")
                .build();

        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream capture = new PrintStream(output, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            assertThatThrownBy(application::run).rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(output.toString(StandardCharsets.UTF_8))
                .contains("APPLICATION FAILED TO START")
                .contains("Invalid value 'v 3' for configuration property 'modelfeedback.models.fraud.version'")
                .contains("model version must start with a letter or digit and contain only letters, digits"
                        + " and . _ - + :, got 'v 3'");
    }
}
