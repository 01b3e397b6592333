package io.msixpool.domain.state;

/**
 * One broken invariant of docs/rules.md.
 *
 * @param invariant {@code I1} .. {@code I5}
 * @param subject   what breaks it: {@code PF nvme0} or {@code PF nvme0 VF 3}; the auditor reports an
 *                  invariant once per subject while it stays broken
 * @param detail    the numbers that break it
 */
public record Violation(String invariant, String subject, String detail) {
    @Override
    public String toString() {
        return invariant + " " + subject + " " + detail;
    }
}
