package io.msixpool.domain;

import io.msixpool.domain.Decision.Refused;
import io.msixpool.domain.event.DeviceEvent;
import java.util.List;
import java.util.function.Supplier;

/**
 * A command's checks in docs/rules.md's order: the first that fails decides the refusal, and the
 * checks after it are not run (they may rely on the ones before: a PF's state is only read once the
 * PF is known to exist). When none fails, the command's events are accepted.
 */
final class Checklist {
    private Refused refused;

    private Checklist() {
    }

    static Checklist check(Supplier<Refused> first) {
        return new Checklist().then(first);
    }

    Checklist then(Supplier<Refused> next) {
        if (refused == null) {
            refused = next.get();
        }
        return this;
    }

    Decision accept(Supplier<List<DeviceEvent>> events) {
        return refused != null ? refused : Decision.accepted(events.get());
    }
}
