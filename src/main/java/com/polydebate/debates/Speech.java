package com.polydebate.debates;

/** How a message's audio was resolved: a file with its duration, or the reason there is none. */
record Speech(String audioUrl, Double audioDuration, String audioError) {
    static final String CANCELLED = "Audio generation cancelled (debate stopped)";

    static Speech failed(String error) {
        return new Speech(null, null, error);
    }
}
