/**
 * Tools for the shipped monitoring assets: the generator of the Prometheus rules of scored
 * feedback, whose per-bucket rules follow the core's score layout.
 */
@NullMarked
package dev.modelfeedback.examples.monitoring;

import org.jspecify.annotations.NullMarked;
