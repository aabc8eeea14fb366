package dev.modelfeedback.servlet;

/** Bodies for the contract tests of ids. */
final class JoinContract {

    private JoinContract() {
    }

    static String prediction(String id, int prediction) {
        return "{\"id\":\"" + id + "\",\"prediction\":" + prediction + "}";
    }

    static String actual(String id, int actual) {
        return "{\"id\":\"" + id + "\",\"actual\":" + actual + "}";
    }

    static String inline(String id, int prediction, int actual) {
        return "{\"id\":\"" + id + "\",\"prediction\":" + prediction + ",\"actual\":" + actual + "}";
    }
}
