package io.msixpool.replay.audit;

import io.msixpool.domain.RecentIds;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.event.PfEvent;
import io.msixpool.domain.state.DeviceState;
import io.msixpool.domain.state.Invariants;
import io.msixpool.domain.state.PfState;
import io.msixpool.domain.state.Violation;
import io.msixpool.replay.Chain;
import io.msixpool.replay.DecisionCheck;
import io.msixpool.replay.DecisionCheck.Expectation;
import io.msixpool.replay.DecisionCheck.Refusal;
import io.msixpool.replay.Envelope;
import io.msixpool.replay.LineBatches;
import io.msixpool.replay.LogLines;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks a whole history, one line at a time, in log order: the chain (docs/event-log.md), that
 * every decision could have been made on the state before it ({@link DecisionCheck}), and
 * invariants I1-I5 after every event. It never stops at a finding: it reports it and goes on, so
 * one audit lists every problem.
 *
 * <p>A problem is reported once, where it appears: the chain goes on from the hash an event
 * recorded (an edited event is one finding, not one per later event of its device), and an
 * invariant that stays broken is reported when it breaks, not after every later event.
 */
public final class Auditor {
    private final AuditObserver observer;
    private final Map<String, DeviceTrail> devices = new HashMap<>();
    private final List<Finding> findings = new ArrayList<>();
    private long lastPosition = -1;
    private long events;
    private long lastLine;

    private Auditor(AuditObserver observer) {
        this.observer = Objects.requireNonNull(observer);
    }

    /** What the auditor remembers of one device: its state and where its chain and decision stand. */
    private static final class DeviceTrail {
        DeviceState state = DeviceState.EMPTY;
        String lastHash = Chain.GENESIS;
        long nextSequence;
        Expectation expected = Expectation.NOTHING_MORE;
        long expectedSince;
        /** The envelope of the decision's first event: the rest of the decision carries its commandId and actor. */
        Envelope decidedBy;
        long lastLine;
        /** The commandIds that recorded a decision, with its position: the ids the engine remembers. */
        final RecentIds<Long> recentIds = new RecentIds<>();
        /** Per PF, the invariants broken after the device's latest event, as "I1 PF nvme0". */
        Map<String, Set<String>> brokenInvariants = new HashMap<>();
    }

    /** Audits a whole log, its lines parsed on every core and checked in order. */
    public static AuditResult audit(LogLines log, AuditObserver observer, LineBatches.Progress progress) {
        Auditor auditor = new Auditor(observer);
        log.forEach(AuditedLine::parse, null, line -> {
            auditor.accept(line);
            return true;
        }, progress);
        List<Finding> findings = auditor.finish();
        return new AuditResult(auditor.lastLine, auditor.events, auditor.devices.size(), findings);
    }

    /** {@link #audit(LogLines, AuditObserver, LineBatches.Progress)} of lines of text. */
    public static AuditResult audit(Iterator<String> lines, AuditObserver observer, LineBatches.Progress progress) {
        return audit(new LogLines.Text(lines), observer, progress);
    }

    private void accept(AuditedLine line) {
        lastLine = line.line();
        Envelope envelope = line.envelope();
        long position = envelope == null ? -1 : envelope.position();
        if (line.device() == null || envelope == null) {
            report(line, position, null, null, "FORMAT", line.problem() != null ? line.problem()
                    : line.device() == null ? "the line names no device" : "the line has no envelope");
            return;
        }
        DeviceTrail trail = devices.computeIfAbsent(line.device(), d -> new DeviceTrail());
        trail.lastLine = line.line();
        checkOrder(line, position);
        checkChain(line, trail);
        if (line.event() == null) {
            report(line, position, line.device(), null, "FORMAT", line.problem());
            return;
        }
        events++;
        DeviceEvent event = line.event();
        String pf = event instanceof PfEvent pfEvent ? pfEvent.pf() : null;
        boolean beginsDecision = checkDecision(line, trail, event, pf);
        DeviceState after;
        try {
            after = trail.state.evolve(event);
        } catch (RuntimeException cannotApply) {
            report(line, position, line.device(), pf, "DECISION",
                    "the event cannot be applied to the state before it: " + cannotApply.getMessage());
            return;
        }
        trail.state = after;
        checkInvariants(line, trail, event);
        observer.folded(envelope, event, beginsDecision, after);
    }

    /** Ends the audit: a decision the log stops in the middle of is a finding too. */
    private List<Finding> finish() {
        new TreeMap<>(devices).forEach((device, trail) -> {
            if (!trail.expected.restIsOptional()) {
                Finding finding = new Finding(trail.lastLine, -1, device, null, "DECISION", "the log ends before "
                        + trail.expected.rest() + ", which the decision begun at position " + trail.expectedSince
                        + " records next");
                findings.add(finding);
                observer.found(finding);
            }
        });
        return List.copyOf(findings);
    }

    private void checkOrder(AuditedLine line, long position) {
        if (position <= lastPosition) {
            report(line, position, line.device(), null, "ORDER", "position " + position
                    + " does not follow position " + lastPosition + ": positions rise along the log");
        }
        lastPosition = Math.max(lastPosition, position);
    }

    private void checkChain(AuditedLine line, DeviceTrail trail) {
        Envelope envelope = line.envelope();
        long position = envelope.position();
        if (line.computedHash() == null) {
            report(line, position, line.device(), null, "CHAIN", "cannot be hashed: " + line.problem());
        } else if (!line.computedHash().equals(envelope.hash())) {
            report(line, position, line.device(), null, "CHAIN", "the line does not match its hash (it was edited):"
                    + " recorded " + envelope.hash() + ", the line hashes to " + line.computedHash());
        }
        if (!trail.lastHash.equals(envelope.prev())) {
            report(line, position, line.device(), null, "CHAIN", "prev is not the hash of the device's previous"
                    + " event (an event was inserted, removed or moved before this one): expected " + trail.lastHash
                    + ", recorded " + envelope.prev());
        }
        if (envelope.sequence() != trail.nextSequence) {
            report(line, position, line.device(), null, "CHAIN", "sequence " + envelope.sequence() + ", expected "
                    + trail.nextSequence);
        }
        // Go on from what this line recorded, so that one edit is one finding.
        trail.lastHash = Objects.requireNonNullElse(envelope.hash(), "");
        trail.nextSequence = envelope.sequence() + 1;
    }

    /** @return whether the event begins a decision (false when it continues the one before it) */
    private boolean checkDecision(AuditedLine line, DeviceTrail trail, DeviceEvent event, String pf) {
        long position = line.envelope().position();
        Envelope envelope = line.envelope();
        if (trail.expected.continuesWith(event)) {
            trail.expected = trail.expected.afterNext();
            if (!Objects.equals(envelope.commandId(), trail.decidedBy.commandId())
                    || !Objects.equals(envelope.actor(), trail.decidedBy.actor())) {
                report(line, position, line.device(), pf, "DECISION", "the events of one decision share the commandId"
                        + " and actor of its first (position " + trail.expectedSince + ": " + trail.decidedBy.commandId()
                        + " by " + trail.decidedBy.actor() + "), this one has " + envelope.commandId() + " by "
                        + envelope.actor());
            }
            return false;
        }
        if (!trail.expected.restIsOptional()) {
            report(line, position, line.device(), pf, "DECISION", "the decision begun at position "
                    + trail.expectedSince + " records " + trail.expected.rest().getFirst() + " next, the log has "
                    + event);
        }
        switch (DecisionCheck.check(trail.state, event)) {
            case Expectation expectation -> {
                trail.expected = expectation;
                trail.expectedSince = position;
                trail.decidedBy = envelope;
                checkCommandId(line, trail, pf);
            }
            case Refusal refusal -> {
                report(line, position, line.device(), pf, refusal.rule(), refusal.message());
                trail.expected = Expectation.NOTHING_MORE;
            }
        }
        return true;
    }

    /**
     * The engine records nothing for a commandId it remembers: a duplicate answers from memory,
     * other content is refused with COMMAND_ID_REUSED. So a remembered commandId on a new decision
     * was never decided by the engine.
     */
    private void checkCommandId(AuditedLine line, DeviceTrail trail, String pf) {
        String commandId = line.envelope().commandId();
        if (commandId == null) {
            return;
        }
        Long earlier = trail.recentIds.remember(commandId, line.envelope().position());
        if (earlier != null) {
            report(line, line.envelope().position(), line.device(), pf, "COMMAND_ID_REUSED", "commandId " + commandId
                    + " already recorded the decision at position " + earlier + "; the engine records nothing for a"
                    + " commandId it remembers (a duplicate, or other content refused)");
        }
    }

    private void checkInvariants(AuditedLine line, DeviceTrail trail, DeviceEvent event) {
        for (PfState pf : Invariants.checkedAfter(trail.state, event)) {
            List<Violation> violations = Invariants.violations(pf);
            if (violations.isEmpty() && !trail.brokenInvariants.containsKey(pf.pf())) {
                continue;
            }
            Set<String> before = trail.brokenInvariants.getOrDefault(pf.pf(), Set.of());
            Set<String> broken = new HashSet<>();
            for (Violation violation : violations) {
                String which = violation.invariant() + " " + violation.subject();
                broken.add(which);
                if (!before.contains(which)) {
                    report(line, line.envelope().position(), line.device(), pf.pf(), violation.invariant(),
                            violation.subject() + " " + violation.detail());
                }
            }
            if (broken.isEmpty()) {
                trail.brokenInvariants.remove(pf.pf());
            } else {
                trail.brokenInvariants.put(pf.pf(), broken);
            }
        }
    }

    private void report(AuditedLine line, long position, String device, String pf, String rule, String message) {
        Finding finding = new Finding(line.line(), position, device, pf, rule, message);
        findings.add(finding);
        observer.found(finding);
    }
}
