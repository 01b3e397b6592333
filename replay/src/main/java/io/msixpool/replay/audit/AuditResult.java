package io.msixpool.replay.audit;

import java.util.List;

/** What an audit found: how much it read, and every finding in log order. */
public record AuditResult(long lines, long events, int devices, List<Finding> findings) {
    public AuditResult {
        findings = List.copyOf(findings);
    }

    public boolean clean() {
        return findings.isEmpty();
    }
}
