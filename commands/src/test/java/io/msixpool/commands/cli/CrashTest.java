package io.msixpool.commands.cli;

import static org.junit.jupiter.api.Assertions.assertAll;

import io.msixpool.commands.support.TestStores;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/wire.md: "a process killed at any moment loses no acknowledged command". An {@code apply} is killed
 * with SIGKILL at seeded points; resending what it did not acknowledge ends where an uncrashed run ends
 * ({@link CrashRuns} says exactly what is checked).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@Tag("campaign")
@Isolated // runs two crashed applies and a reference run at once: alone, it keeps within its timeout
class CrashTest {
    private static final int KILLS_PER_STORE = 2;

    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void aSigkillLosesNoAcknowledgedCommandAndResendingTheTailEndsInTheUncrashedState(TestStores.Kind kind)
            throws Exception {
        Future<CrashRuns.Reference> reference = CrashRuns.referenceOf(kind);
        Random killPoints = new Random(CrashRuns.SEED * 31 + kind.ordinal());
        List<Executable> rounds = new ArrayList<>();
        for (int round = 0; round < KILLS_PER_STORE; round++) {
            int killAfter = CrashRuns.killPoint(killPoints);
            rounds.add(() -> CrashRuns.crashAndResend(kind + ", killed after " + killAfter + " results read",
                    TestStores.fresh(kind), CrashRuns.SIGKILL, reference, killAfter));
        }
        assertAll(kind + ": every kill point", rounds);
    }
}
