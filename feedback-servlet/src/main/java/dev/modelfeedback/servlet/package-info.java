/**
 * The HTTP face of model-feedback: {@link dev.modelfeedback.servlet.FeedbackServlet}, a drop-in
 * Jakarta servlet for {@code POST /feedback} and {@code GET /feedback}, and the container-free
 * {@link dev.modelfeedback.servlet.FeedbackHandler} it delegates to.
 */
@NullMarked
package dev.modelfeedback.servlet;

import org.jspecify.annotations.NullMarked;
