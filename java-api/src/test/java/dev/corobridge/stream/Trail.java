package dev.corobridge.stream;

import java.util.ArrayList;
import java.util.List;

/** An event log for ordering tests: tasks add events, the test compares the sequence. */
final class Trail {
    private final List<String> events = new ArrayList<>();

    synchronized void add(String event) {
        events.add(event);
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }
}
