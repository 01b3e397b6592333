package io.msixpool.projections;

/**
 * A device's pool view with the sequence of the device's last event it shows: of two views of one
 * device, the one with the higher sequence is the newer, whoever read them and in whatever order
 * they arrive.
 */
public record PoolAt(PoolView view, long sequence) {
    public static PoolAt of(DeviceStates.Loaded loaded) {
        return new PoolAt(PoolView.of(loaded.state()), loaded.sequence());
    }
}
