package dev.modelfeedback.core.window;

import dev.modelfeedback.core.ClassificationSnapshot;
import java.time.Instant;

/**
 * The feedback of one window at one moment.
 *
 * @param window the window
 * @param start where the counted feedback starts: the bucket boundary at or before {@code end}
 *     minus the span (or when the recorder started, if later)
 * @param end when the counts were read
 * @param counts the feedback in between, with the metrics and intervals derived from it
 */
public record WindowCounts(Window window, Instant start, Instant end, ClassificationSnapshot counts) {
}
