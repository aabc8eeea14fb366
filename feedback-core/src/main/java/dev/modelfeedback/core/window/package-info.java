/**
 * Time windows over a recorder's feedback ("the last 5 minutes", "the last hour") without any cost
 * on the record path: each window keeps the recorder's cumulative counts at its bucket boundaries
 * in a small ring, and a window's counts are the live counts minus those at its start.
 *
 * <p>Start with {@link dev.modelfeedback.core.window.Window} (a span and its bucket width) and
 * {@link dev.modelfeedback.core.window.WindowClock} (the time windows see: the system clock, or a
 * manual clock in tests).
 */
@NullMarked
package dev.modelfeedback.core.window;

import org.jspecify.annotations.NullMarked;
