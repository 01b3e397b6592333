package io.msixpool.replay.audit;

/**
 * One thing wrong with a history, where it is and what was expected.
 *
 * @param line     the line of the log it was found on (1-based), the one way to point at a line
 *                 that does not parse; -1 when no single line can be named (a checkpoint's root
 *                 that the log's first lines do not have: a root cannot say which of them differs)
 * @param position the event's {@code envelope.position}, or -1 when the line has none
 * @param device   the device, or null when the line names none
 * @param pf       the PF the finding is about, or null (a device-wide event, or a broken line)
 * @param rule     what was broken: {@code CHAIN}, {@code FORMAT}, {@code DECISION}, a rejection code
 *                 of docs/rules.md (the rule that would have refused the recorded decision) or an invariant
 *                 {@code I1}..{@code I5}
 * @param message  what was found and what was expected, for people
 */
public record Finding(long line, long position, String device, String pf, String rule, String message) {

    /** One line for a terminal: {@code position 42 (line 43) bf3-a/nvme0 I1: ...}. */
    public String describe() {
        String where = (position >= 0 ? "position " + position + " (line " + line + ")"
                : line >= 0 ? "line " + line : "")
                + (device == null ? "" : " " + device + (pf == null ? "" : "/" + pf));
        return (where.isEmpty() ? "" : where.strip() + " ") + rule + ": " + message;
    }
}
