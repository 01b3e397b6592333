package io.msixpool.replay.report;

/**
 * A path of horizontal and vertical steps in relative moves, runs of horizontal steps joined.
 * y is a count of vectors (drawn upwards, so negated) or a row (drawn downwards).
 */
final class Steps {
    private final StringBuilder path = new StringBuilder();
    private final boolean down;
    private int x;
    private int y;
    private int pendingX;

    private Steps(int x, int y, boolean down) {
        this.down = down;
        this.x = x;
        this.y = y;
        path.append('M').append(x).append(' ').append(down ? y : -(long) y);
    }

    static Steps vectors(int x, int value) {
        return new Steps(x, value, false);
    }

    static Steps rows(int x, int row) {
        return new Steps(x, row, true);
    }

    int y() {
        return y;
    }

    /** A horizontal then a vertical step to ({@code toX}, {@code toY}). */
    Steps to(int toX, int toY) {
        pendingX += toX - x;
        x = toX;
        if (toY != y) {
            flush();
            path.append('v').append(dy(toY));
            y = toY;
        }
        return this;
    }

    void moveTo(int toX, int toY) {
        flush();
        path.append('m').append(toX - x).append(' ').append(dy(toY));
        x = toX;
        y = toY;
    }

    private long dy(int toY) {
        return down ? toY - (long) y : y - (long) toY;
    }

    private void flush() {
        if (pendingX != 0) {
            path.append('h').append(pendingX);
            pendingX = 0;
        }
    }

    StringBuilder path() {
        flush();
        return path;
    }
}
