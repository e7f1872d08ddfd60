package dev.corobridge;

import java.util.ArrayList;
import java.util.List;

/** An event log for ordering tests: tasks add events, the test compares the sequence. */
public final class Trail {
    private final List<String> events = new ArrayList<>();

    public synchronized void add(String event) {
        events.add(event);
    }

    public synchronized List<String> events() {
        return List.copyOf(events);
    }
}
