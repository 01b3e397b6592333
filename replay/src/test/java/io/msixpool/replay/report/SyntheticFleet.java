package io.msixpool.replay.report;

import io.msixpool.domain.Decision;
import io.msixpool.domain.DeviceRules;
import io.msixpool.domain.Emulation;
import io.msixpool.domain.command.AssignVectors;
import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.domain.command.OpenPf;
import io.msixpool.domain.command.ProvisionPf;
import io.msixpool.domain.command.Reclaim;
import io.msixpool.domain.command.ReleaseVectors;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.state.DeviceState;
import io.msixpool.domain.state.PfState;
import io.msixpool.replay.Envelope;
import io.msixpool.replay.audit.AuditObserver;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * A fleet at work, fed straight to an observer (no lines, no hashes) so that tests can afford
 * hundreds of thousands of events: every PF provisioned, opened and reclaimed, then VMs come and go
 * on random PFs, each command decided by the real rules and folded by the real fold.
 */
final class SyntheticFleet {
    static final Instant START = Instant.parse("2026-11-22T03:00:00.000Z");
    private static final int[] VM_SIZES = {2, 4, 8, 8, 16, 32};

    /** What a test sees of each event folded, besides the observer. */
    interface Watch {
        void folded(long millis, DeviceEvent event, DeviceState after);
    }

    private final Random random;
    private final DeviceState[] states;
    private final int pfsPerDevice;
    private final int vfsPerPf;
    private long position;
    private long millis = START.toEpochMilli();

    SyntheticFleet(long seed, int devices, int pfsPerDevice, int vfsPerPf) {
        this.random = new Random(seed);
        this.states = new DeviceState[devices];
        this.pfsPerDevice = pfsPerDevice;
        this.vfsPerPf = vfsPerPf;
        java.util.Arrays.fill(states, DeviceState.EMPTY);
    }

    static String device(int d) {
        return String.format("dpu-%04d", d);
    }

    static String pf(int p) {
        return "nvme" + p;
    }

    /** Sets every PF up, then runs commands until {@code events} events have been folded. */
    void run(long events, long maxGapMillis, AuditObserver observer, Watch watch) {
        for (int d = 0; d < states.length; d++) {
            for (int p = 0; p < pfsPerDevice; p++) {
                decide(d, new ProvisionPf(device(d), pf(p), Emulation.NVME, vfsPerPf, vfsPerPf * 16, 2, 64), 0,
                        observer, watch);
                decide(d, new OpenPf(device(d), pf(p)), 0, observer, watch);
                decide(d, new Reclaim(device(d), pf(p)), 0, observer, watch);
            }
        }
        while (position < events) {
            int d = random.nextInt(states.length);
            String pf = pf(random.nextInt(pfsPerDevice));
            PfState state = states[d].pf(pf);
            int vf = random.nextInt(vfsPerPf);
            DeviceCommand command = state.vf(vf).open() ? new ReleaseVectors(device(d), pf, vf)
                    : new AssignVectors(device(d), pf, vf, VM_SIZES[random.nextInt(VM_SIZES.length)]);
            decide(d, command, maxGapMillis, observer, watch);
        }
    }

    private void decide(int d, DeviceCommand command, long maxGapMillis, AuditObserver observer, Watch watch) {
        if (!(DeviceRules.decide(states[d], command) instanceof Decision.Accepted accepted)) {
            return;
        }
        List<DeviceEvent> events = accepted.events();
        millis += maxGapMillis == 0 ? 1 : random.nextLong(maxGapMillis);
        boolean first = true;
        for (DeviceEvent event : events) {
            states[d] = states[d].evolve(event);
            position++;
            Envelope envelope = new Envelope(position, 0, Instant.ofEpochMilli(millis), null, "ops-" + (d % 3), "1",
                    null, null);
            observer.folded(envelope, event, first, states[d]);
            if (watch != null) {
                watch.folded(millis, event, states[d]);
            }
            first = false;
        }
    }
}
