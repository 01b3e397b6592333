package io.msixpool.commands.cli;

import io.msixpool.domain.state.PfState;
import io.msixpool.domain.state.VfState;
import io.msixpool.projections.PoolView;
import java.util.List;

/**
 * A pool view for people: one block per PF, then its VFs as {@code vf:msix}, runs of alike VFs
 * folded into {@code first-last:msix}, an asterisk marking open VF controllers.
 */
final class PoolTable {
    private static final int WIDTH = 100;

    private PoolTable() {
    }

    static String render(PoolView view) {
        StringBuilder text = new StringBuilder("device ").append(view.device()).append('\n');
        for (PfState pf : view.pfs()) {
            text.append(String.format("%n  %-10s %-10s %-6s %-8s numVfs %-4d free %d of %d, stranded %d, VF bounds %d..%d%n",
                    pf.pf(), pf.emulation(), pf.open() ? "open" : "closed", pf.dynamicMsix() ? "dynamic" : "static",
                    pf.numVfs(), pf.msixFree(), pf.msixTotal(), pf.msixStranded(), pf.vfMinMsix(), pf.vfMaxMsix()));
            StringBuilder line = new StringBuilder("    ");
            List<VfState> vfs = pf.vfs();
            for (int first = 0, last; first < vfs.size(); first = last + 1) {
                last = first;
                while (last + 1 < vfs.size() && alike(vfs.get(last + 1), vfs.get(first))) {
                    last++;
                }
                VfState vf = vfs.get(first);
                String range = first == last ? String.valueOf(first) : first + "-" + last;
                String cell = String.format("%s:%d%s ", range, vf.msix(), vf.open() ? "*" : "");
                if (line.length() + cell.length() > WIDTH) {
                    text.append(line.toString().stripTrailing()).append('\n');
                    line = new StringBuilder("    ");
                }
                line.append(cell);
            }
            if (!line.isEmpty()) {
                text.append(line.toString().stripTrailing()).append('\n');
            }
        }
        return text.append("\n  (vf:msix, first-last:msix for a run of alike VFs, * = VF controller open;"
                + " stranded = vectors held by VFs whose controller is not open)").toString();
    }

    private static boolean alike(VfState a, VfState b) {
        return a.msix() == b.msix() && a.open() == b.open();
    }
}
