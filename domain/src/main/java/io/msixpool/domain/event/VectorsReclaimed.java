package io.msixpool.domain.event;

import java.util.List;
import org.axonframework.serialization.Revision;

/** Every linked VF's vectors went back to the free pool; {@code reclaimed} lists them by ascending vf. */
@Revision("1")
public record VectorsReclaimed(String device, String pf, List<ReclaimedVf> reclaimed, int total) implements PfEvent {
    public VectorsReclaimed {
        reclaimed = List.copyOf(reclaimed);
    }
}
