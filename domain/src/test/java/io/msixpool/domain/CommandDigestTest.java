package io.msixpool.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.msixpool.domain.command.AssignVectors;
import io.msixpool.domain.command.OpenPf;
import io.msixpool.domain.command.ProvisionPf;
import org.junit.jupiter.api.Test;

/**
 * A command's digest is part of every store and exported log (the retry memory is rebuilt from it):
 * it must never change with how it is computed. The values are the first implementation's.
 */
class CommandDigestTest {
    @Test
    void digestsAreTheOnesStoresAlreadyHold() {
        assertEquals("67b1e041c8f7acfc5b805a7480200cac", CommandDigest.of(new AssignVectors("bf3-a", "nvme0", 3, 8, "c-1")));
        assertEquals("2f51f8c9ac216902999375d21daccf10",
                CommandDigest.of(new ProvisionPf("bf3-a", "nvme0", Emulation.NVME, 4, 64, 2, 32, "p-1")));
        assertEquals("c2c09fd73f1e0853a562b0f8249d9dfa", CommandDigest.of(new OpenPf("bf3-a", "nvme0", true)));
    }

    @Test
    void theCommandIdIsNotContent() {
        assertEquals(CommandDigest.of(new AssignVectors("bf3-a", "nvme0", 3, 8, "c-1")),
                CommandDigest.of(new AssignVectors("bf3-a", "nvme0", 3, 8, "other")));
    }
}
