/**
 * The example server's log: one bounded sink for SLF4J and {@code java.util.logging}, so that
 * request input can make neither long lines nor a fast-growing log.
 */
@NullMarked
package dev.modelfeedback.examples.logging;

import org.jspecify.annotations.NullMarked;
