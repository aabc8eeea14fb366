/**
 * Sequential drift detectors on a model's error stream (error = the prediction differed from the
 * truth): {@link dev.modelfeedback.core.drift.Ddm DDM}, {@link dev.modelfeedback.core.drift.HddmA HDDM_A},
 * {@link dev.modelfeedback.core.drift.Adwin ADWIN} and {@link dev.modelfeedback.core.drift.PageHinkley
 * Page-Hinkley}, each identical update for update to river's implementation at its defaults, except
 * that none ever reports an improvement as a drift.
 *
 * <p>Start with {@link dev.modelfeedback.core.drift.DriftDetector}.
 */
@NullMarked
package dev.modelfeedback.core.drift;

import org.jspecify.annotations.NullMarked;
