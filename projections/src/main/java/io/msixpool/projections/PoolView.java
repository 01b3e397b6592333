package io.msixpool.projections;

import io.msixpool.domain.state.DeviceState;
import io.msixpool.domain.state.PfState;
import java.util.List;

/**
 * docs/wire.md's pool view: PFs in ascending pf order, each with every VF in ascending vf order. A PF's
 * view is its {@link PfState} as the fold left it, so the view cannot drift from the rules' state.
 */
public record PoolView(String device, List<PfState> pfs) {
    public PoolView {
        pfs = List.copyOf(pfs);
    }

    public static PoolView of(DeviceState state) {
        return new PoolView(state.device(), List.copyOf(state.pfs().values()));
    }
}
