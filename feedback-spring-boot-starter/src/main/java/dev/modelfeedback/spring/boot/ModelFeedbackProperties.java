package dev.modelfeedback.spring.boot;

import dev.modelfeedback.core.join.PendingStore;
import dev.modelfeedback.core.model.ModelId;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;

/**
 * The {@code modelfeedback.*} properties: the models to serve, what every recorder keeps, the
 * pending-prediction store and the {@code /feedback} servlet.
 *
 * <pre>{@code
 * modelfeedback.models.fraud.version=v3
 * modelfeedback.models.fraud.baseline.accuracy=0.92
 * modelfeedback.models.churn.version=v1
 * modelfeedback.models.ranker.versions=v1,v2
 * modelfeedback.models.intent.classes=billing,tech,sales
 * modelfeedback.default-model=fraud
 * modelfeedback.drift-detectors=hddm_a,adwin
 * modelfeedback.pending.ttl=48h
 * }</pre>
 *
 * <p>A model's own {@code windows}, {@code drift-detectors} and {@code baseline} replace the ones
 * set for every model. Values are checked when the application starts; a bad one stops it with an
 * error that names the property.
 *
 * <p>Each {@code @param} below is the property's description in the configuration metadata
 * that IDEs show, so it is plain text.
 *
 * @param enabled Whether to configure model-feedback at all. When false, no model set and no
 *     servlet are registered.
 * @param path Path the feedback servlet answers at, an exact path such as /feedback.
 * @param maxBodySize Largest request body the servlet accepts, checked while reading (chunked
 *     bodies included). Larger bodies are refused with 413.
 * @param maxBatchItems Most feedback items in one request. Larger batches are refused with 413.
 * @param bodyTimeout Longest a client may take to send a request body, from the request's
 *     arrival to its last byte. Later bodies are refused with 408 and count nothing. Waiting for
 *     a body holds no thread. If a duration suffix is not specified, seconds will be used.
 * @param statusPage Whether a browser opening the servlet's path gets the status page, every
 *     model's quality at a glance. When false, browsers get the JSON, as programs do.
 * @param defaultModel Model that feedback naming no model goes to. It must be declared unless
 *     models are created on demand. With one declared model, that model.
 * @param createOnDemand Most models in all, declared ones included (1 to 10000), when models are
 *     created, with version "unknown", the first time feedback names them. When unset, only the
 *     declared models are served.
 * @param models Models served, by name (the "model" tag). Use brackets for names with dots,
 *     colons or capitals: modelfeedback.models[fraud.eu].version=v3. When none is declared and
 *     none is created on demand, one model, "default", is served.
 * @param windows Comma-separated list of the time windows every model keeps, each a whole
 *     multiple of 30s from 30s to 30d. Empty for none. If a duration suffix is not specified,
 *     seconds will be used.
 * @param driftDetectors Comma-separated list of the drift detectors every model runs on its error
 *     stream: ddm, hddm_a, adwin, page_hinkley. Empty or none for none.
 * @param baseline Baseline of every model that sets none of its own: offline values, or a
 *     reference period of live feedback.
 * @param pending In-memory store where predictions sent with an id wait for their actual values.
 */
@ConfigurationProperties(ModelFeedbackProperties.PREFIX)
public record ModelFeedbackProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue(DEFAULT_PATH) String path,
        @DefaultValue("1MB") DataSize maxBodySize,
        @DefaultValue("10000") int maxBatchItems,
        @DefaultValue("10s") @DurationUnit(ChronoUnit.SECONDS) Duration bodyTimeout,
        @DefaultValue("true") boolean statusPage,
        @Nullable String defaultModel,
        @Nullable Integer createOnDemand,
        @DefaultValue Map<String, Model> models,
        @DefaultValue({"5m", "1h"}) @DurationUnit(ChronoUnit.SECONDS) List<Duration> windows,
        @DefaultValue("hddm_a") List<String> driftDetectors,
        @Nullable BaselineValues baseline,
        @DefaultValue Pending pending) {

    /** The prefix of every property. */
    public static final String PREFIX = "modelfeedback";

    /** Where the servlet answers unless told otherwise. */
    public static final String DEFAULT_PATH = "/feedback";

    /** Keeps the declared models, unmodifiable, in the order the configuration lists them. */
    public ModelFeedbackProperties {
        models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
    }

    /**
     * One declared model.
     *
     * @param version Version of the model (the "model_version" tag).
     * @param versions Comma-separated list of versions served side by side, instead of version:
     *     a champion and its challenger on the same traffic, each with its own series. Feedback
     *     then names its version with "model_version". Every version gets this model's settings.
     * @param windows Comma-separated list of the time windows this model keeps, instead of
     *     modelfeedback.windows.
     * @param driftDetectors Comma-separated list of the drift detectors this model runs, instead of
     *     modelfeedback.drift-detectors.
     * @param baseline Baseline of this model, instead of modelfeedback.baseline.
     * @param classes Comma-separated list of the model's classes, 2 to 32 labels in the order of
     *     its confusion matrix, which make it a multi-class model: feedback carries labels, and it
     *     is published as model_confusion_total{actual,predicted} with per-class metrics. Labels are
     *     trimmed and cannot hold commas. When unset, the model is binary (values 0 and 1).
     */
    public record Model(
            @DefaultValue(ModelId.UNKNOWN_VERSION) String version,
            @Nullable List<String> versions,
            @Nullable List<String> classes,
            @DurationUnit(ChronoUnit.SECONDS) @Nullable List<Duration> windows,
            @Nullable List<String> driftDetectors,
            @Nullable BaselineValues baseline) {
    }

    /**
     * What a model is expected to achieve: metrics measured offline (a binary model: accuracy,
     * precision, recall, F1; a model with classes: accuracy, macro F1; either: ROC AUC and log loss
     * of its scores), or a reference period of live feedback, not both. Published as
     * {@code model_baseline{metric}}.
     *
     * @param accuracy Expected accuracy, from 0 to 1.
     * @param precision Expected precision, from 0 to 1.
     * @param recall Expected recall, from 0 to 1.
     * @param f1 Expected F1 score, from 0 to 1.
     * @param macroF1 Expected macro F1 (the mean of the classes' F1) of a model with classes, from 0 to 1.
     * @param rocAuc Expected ROC AUC of the model's scores (with classes, the mean one-vs-rest AUC), from 0 to 1.
     * @param logLoss Expected mean log loss of the model's scores, at least 0.
     * @param fromFirst Number of feedback items after start-up whose metrics become the baseline
     *     (a reference period), instead of offline values.
     */
    public record BaselineValues(
            @Nullable Double accuracy,
            @Nullable Double precision,
            @Nullable Double recall,
            @Nullable Double f1,
            @Nullable Double macroF1,
            @Nullable Double rocAuc,
            @Nullable Double logLoss,
            @Nullable Long fromFirst) {
    }

    /**
     * The store of predictions waiting for their actual values, shared by the models: in this
     * process's memory, or in Redis, shared by every replica. A {@code PendingStore} bean replaces
     * it (and these settings).
     *
     * @param store Where predictions wait: memory (this process, the default) or redis (shared by
     *     every replica; needs dev.modelfeedback:feedback-redis on the classpath).
     * @param capacity Most predictions and remembered ids per model in memory, from 16 to
     *     2147483647. When the store is full, the oldest entry makes room.
     * @param ttl Time a prediction waits for its actual value, whole seconds from 1s to 365d. Ids
     *     are remembered twice as long, to recognize retries. If a duration suffix is not
     *     specified, seconds will be used.
     * @param redis Redis server of the shared store, when store is redis.
     */
    public record Pending(
            @DefaultValue("memory") Store store,
            @DefaultValue(PendingStore.DEFAULT_CAPACITY_TEXT) long capacity,
            @DefaultValue(PendingStore.DEFAULT_TTL_TEXT) @DurationUnit(ChronoUnit.SECONDS) Duration ttl,
            @DefaultValue Redis redis) {
    }

    /** Where predictions wait for their actual values. */
    public enum Store {
        /** In this process's memory: per replica, lost on restart. */
        MEMORY,
        /** In Redis: shared by every replica, kept across restarts. */
        REDIS
    }

    /**
     * The Redis server of the shared store.
     *
     * @param uri Redis server, redis://HOST[:PORT][/DB] (rediss:// for TLS), without credentials.
     * @param username User of the Redis server, for Redis ACLs; unset for the default user.
     * @param password Password of the Redis server. Set it from the environment
     *     (MODELFEEDBACK_PENDING_REDIS_PASSWORD) or a secret store, never in the uri.
     * @param keyPrefix Prefix of every key the store writes. Give each deployment that shares a
     *     Redis database its own, and every replica of one deployment the same.
     * @param commandTimeout Longest wait for Redis in one request, from 10ms to 60s; past it the
     *     request is answered 503 and changes nothing. If a duration suffix is not specified,
     *     milliseconds will be used.
     * @param connectTimeout Longest wait for a connection to Redis. If a duration suffix is not
     *     specified, milliseconds will be used.
     * @param capacity Most ids per model in Redis (pending, joined, or expired and not yet forgotten),
     *     from 1 to 1099511627776; the oldest make room for new ones, and a pending prediction that
     *     leaves so counts as evicted. Size it above predictions per second times twice the ttl, with
     *     headroom; about 38 bytes of Redis memory each.
     * @param expectedIds Ids per model the store's key layout is sized for: predictions per second
     *     times twice the ttl; the capacity when unset. Fixed in Redis when a model is first used.
     */
    public record Redis(
            @DefaultValue("redis://localhost:6379") String uri,
            @Nullable String username,
            @Nullable String password,
            @DefaultValue("mf:") String keyPrefix,
            @DefaultValue("2s") Duration commandTimeout,
            @DefaultValue("2s") Duration connectTimeout,
            @DefaultValue(PendingStore.DEFAULT_CAPACITY_TEXT) long capacity,
            @Nullable Long expectedIds) {

        @Override
        public String toString() {
            return "Redis[uri=" + uri + ", keyPrefix=" + keyPrefix + (password == null ? "" : ", password=(set)") + "]";
        }
    }
}
