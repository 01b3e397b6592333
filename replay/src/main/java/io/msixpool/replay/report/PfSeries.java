package io.msixpool.replay.report;

import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.event.NumVfsChanged;
import io.msixpool.domain.event.PfClosed;
import io.msixpool.domain.event.PfOpened;
import io.msixpool.domain.event.VectorsAssigned;
import io.msixpool.domain.event.VectorsReleased;
import io.msixpool.domain.event.VfClosed;
import io.msixpool.domain.event.VfOpened;
import io.msixpool.domain.state.PfState;
import java.util.Arrays;

/**
 * One PF over time, in the {@link Timeline}'s columns: its free vectors (lowest, highest and last
 * value in each column), its stranded vectors (held by VFs whose controller is not open, as
 * {@link PfState#msixStranded()} counts them; the last value in each column) and the vectors each VF holds (the highest in each of half as many
 * columns; at most {@link #MAX_ROWS} rows, neighbouring VFs summed into one row beyond that).
 *
 * <p>A VF row is written only when it changes: the columns it skipped are filled then with the
 * value it held meanwhile, and the columns after its last change hold its current value. So an
 * event costs a few array writes, and the arrays never grow.
 */
final class PfSeries implements Timeline.Series {
    static final int HEAT_COLUMNS = Timeline.COLUMNS / 2;
    static final int MAX_ROWS = 128;
    static final int MAX_MARKS = 64;
    /** A heat cell not written yet: the row held nothing there. */
    private static final int NONE = Integer.MIN_VALUE;

    final String device;
    final String pf;
    final int vfCount;
    final int groupSize;
    final int rows;
    private String emulation;
    private int msixTotal;
    private int highestTotal;
    private boolean vfCountChanged;

    private final int[] freeMin = new int[Timeline.COLUMNS];
    private final int[] freeMax = new int[Timeline.COLUMNS];
    private final int[] freeLast = new int[Timeline.COLUMNS];
    private final int[] strandedLast = new int[Timeline.COLUMNS];
    private final boolean[] touched = new boolean[Timeline.COLUMNS];
    private int firstColumn;
    private int lastColumn;

    private final int[] vfHeld;
    private final boolean[] vfOpen;
    /** Kept as VFs change, not recounted per event: a PF may have thousands of VFs. */
    private long stranded;
    private final long[] rowHeld;
    private final int[] rowLast;
    private final int[] heat;

    private final int[] markColumns = new int[MAX_MARKS];
    private final long[] markPositions = new long[MAX_MARKS];
    private int marks;

    PfSeries(String device, String pf, PfState first, int column) {
        this.device = device;
        this.pf = pf;
        this.vfCount = first.vfCount();
        this.groupSize = Math.max(1, (vfCount + MAX_ROWS - 1) / MAX_ROWS);
        this.rows = (vfCount + groupSize - 1) / groupSize;
        this.firstColumn = column;
        this.lastColumn = column;
        this.vfHeld = new int[vfCount];
        this.vfOpen = new boolean[vfCount];
        this.rowHeld = new long[rows];
        this.rowLast = new int[rows];
        this.heat = new int[rows * HEAT_COLUMNS];
        Arrays.fill(rowLast, (column >> 1) - 1);
        Arrays.fill(heat, NONE);
    }

    /** The PF after {@code event}, recorded in {@code column}. */
    void record(int column, PfState after, DeviceEvent event) {
        int free = after.msixFree();
        if (touched[column]) {
            freeMin[column] = Math.min(freeMin[column], free);
            freeMax[column] = Math.max(freeMax[column], free);
        } else {
            touched[column] = true;
            freeMin[column] = free;
            freeMax[column] = free;
        }
        freeLast[column] = free;
        lastColumn = column;
        msixTotal = after.msixTotal();
        emulation = after.emulation() == null ? "?" : after.emulation().name();
        highestTotal = Math.max(highestTotal, msixTotal);
        vfCountChanged |= after.vfCount() != vfCount;
        if (event instanceof VectorsAssigned assigned) {
            update(assigned.vf(), after, column);
        } else if (event instanceof VectorsReleased released) {
            update(released.vf(), after, column);
        } else if (event instanceof VfOpened opened) {
            openness(opened.vf(), after);
        } else if (event instanceof VfClosed closed) {
            openness(closed.vf(), after);
        } else if (!(event instanceof PfOpened || event instanceof PfClosed || event instanceof NumVfsChanged)) {
            // Provisioning, a default distribution, a reclaim, a reboot (rare): any VF may have changed.
            for (int vf = 0; vf < vfCount; vf++) {
                update(vf, after, column);
                openness(vf, after);
            }
        }
        strandedLast[column] = clamp(stranded);
    }

    private void openness(int vf, PfState after) {
        if (vf < 0 || vf >= vfCount || vf >= after.vfs().size()) {
            return;
        }
        boolean open = after.vf(vf).open();
        if (open != vfOpen[vf]) {
            vfOpen[vf] = open;
            stranded += open ? -vfHeld[vf] : vfHeld[vf];
        }
    }

    private void update(int vf, PfState after, int column) {
        if (vf < 0 || vf >= vfCount || vf >= after.vfs().size()) {
            return;
        }
        int now = after.vf(vf).msix();
        int was = vfHeld[vf];
        if (now == was) {
            return;
        }
        vfHeld[vf] = now;
        if (!vfOpen[vf]) {
            stranded += now - (long) was;
        }
        int row = vf / groupSize;
        int before = clamp(rowHeld[row]);
        rowHeld[row] += now - (long) was;
        int held = clamp(rowHeld[row]);
        int column2 = column >> 1;
        int base = row * HEAT_COLUMNS;
        if (column2 > rowLast[row]) {
            Arrays.fill(heat, base + rowLast[row] + 1, base + column2, before);
            heat[base + column2] = Math.max(before, held);
            rowLast[row] = column2;
        } else {
            int cell = heat[base + column2];
            heat[base + column2] = Math.max(cell == NONE ? before : cell, held);
        }
    }

    /** Marks a finding; the several findings of one event make one mark. */
    void mark(int column, long position) {
        if (marks > 0 && markPositions[marks - 1] == position && position >= 0) {
            return;
        }
        if (marks < MAX_MARKS) {
            markColumns[marks] = column;
            markPositions[marks] = position;
            marks++;
        }
    }

    @Override
    public void halve() {
        for (int i = 0; i < Timeline.COLUMNS / 2; i++) {
            int a = 2 * i;
            int b = a + 1;
            if (touched[a] && touched[b]) {
                freeMin[i] = Math.min(freeMin[a], freeMin[b]);
                freeMax[i] = Math.max(freeMax[a], freeMax[b]);
                freeLast[i] = freeLast[b];
                strandedLast[i] = strandedLast[b];
            } else {
                int from = touched[b] ? b : a;
                freeMin[i] = freeMin[from];
                freeMax[i] = freeMax[from];
                freeLast[i] = freeLast[from];
                strandedLast[i] = strandedLast[from];
            }
            touched[i] = touched[a] || touched[b];
        }
        Arrays.fill(touched, Timeline.COLUMNS / 2, Timeline.COLUMNS, false);
        firstColumn >>= 1;
        lastColumn >>= 1;
        for (int row = 0; row < rows; row++) {
            int base = row * HEAT_COLUMNS;
            for (int i = 0; i < HEAT_COLUMNS / 2; i++) {
                heat[base + i] = Math.max(heat[base + 2 * i], heat[base + 2 * i + 1]);
            }
            Arrays.fill(heat, base + HEAT_COLUMNS / 2, base + HEAT_COLUMNS, NONE);
            rowLast[row] >>= 1;
        }
        for (int i = 0; i < marks; i++) {
            markColumns[i] >>= 1;
        }
    }

    private static int clamp(long value) {
        return (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, value));
    }

    int firstColumn() {
        return firstColumn;
    }

    /** Whether an event touched the PF in {@code column}; only then do min, max and last hold. */
    boolean touched(int column) {
        return touched[column];
    }

    int freeMin(int column) {
        return freeMin[column];
    }

    int freeMax(int column) {
        return freeMax[column];
    }

    int freeLast(int column) {
        return freeLast[column];
    }

    int strandedLast(int column) {
        return strandedLast[column];
    }

    /** The stranded vectors after the PF's latest event. */
    int strandedNow() {
        return strandedLast[lastColumn];
    }

    /** The free vectors after the PF's latest event. */
    int freeNow() {
        return freeLast[lastColumn];
    }

    String emulation() {
        return emulation;
    }

    int msixTotal() {
        return msixTotal;
    }

    int highestTotal() {
        return highestTotal;
    }

    boolean vfCountChanged() {
        return vfCountChanged;
    }

    /** The most vectors row {@code row} held in heat column {@code column} (0 to the latest column). */
    int held(int row, int column) {
        if (column > rowLast[row]) {
            return clamp(rowHeld[row]);
        }
        int cell = heat[row * HEAT_COLUMNS + column];
        return cell == NONE ? 0 : cell;
    }

    int marks() {
        return marks;
    }

    int markColumn(int i) {
        return markColumns[i];
    }

    long markPosition(int i) {
        return markPositions[i];
    }
}
