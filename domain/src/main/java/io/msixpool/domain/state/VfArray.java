package io.msixpool.domain.state;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * A PF's VFs as an unmodifiable list over an array that only this list holds. {@link PfState}
 * builds the next list of every change in one array copy and hands it over as is, where
 * {@code List.copyOf} would copy it a second time: every event pays for this copy (up to 128+
 * VFs), and replay and audit fold a million events.
 */
final class VfArray extends AbstractList<VfState> implements RandomAccess {
    private final VfState[] vfs;

    /** Takes {@code vfs}: the caller must not keep or change the array afterwards. */
    VfArray(VfState[] vfs) {
        this.vfs = vfs;
    }

    /** A copy of the VFs, to change and hand to {@link #VfArray}. */
    VfState[] copy() {
        return vfs.clone();
    }

    @Override
    public VfState get(int index) {
        return vfs[index];
    }

    @Override
    public int size() {
        return vfs.length;
    }

    @Override
    public Object[] toArray() {
        return Arrays.copyOf(vfs, vfs.length, Object[].class);
    }
}
