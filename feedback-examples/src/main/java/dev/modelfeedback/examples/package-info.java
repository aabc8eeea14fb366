/**
 * An example model server on embedded Jetty 12 with {@code /feedback} and {@code /metrics}, and
 * the command line that runs it, replays the seed's feedback simulation, or does both.
 */
@NullMarked
package dev.modelfeedback.examples;

import org.jspecify.annotations.NullMarked;
