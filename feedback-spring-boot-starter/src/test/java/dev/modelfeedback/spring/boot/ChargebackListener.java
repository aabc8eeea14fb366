package dev.modelfeedback.spring.boot;

import dev.modelfeedback.core.FeedbackRecorder;
import dev.modelfeedback.core.ModelSet;
import org.springframework.stereotype.Service;

/** A bean of the application that records feedback in-process, as the README shows. */
@Service
class ChargebackListener {

    private final FeedbackRecorder fraud;

    ChargebackListener(ModelSet models) {
        this.fraud = models.recorder("fraud");
    }

    /** A chargeback proves the transaction was fraud (actual 1), whatever the model predicted. */
    void onChargeback(boolean predictedFraud) {
        fraud.record(predictedFraud ? 1 : 0, 1);
    }
}
