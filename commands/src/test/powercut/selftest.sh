#!/usr/bin/env bash
# Proves powercut_fs.py behaves like a disk that loses unsynced data on a power cut.
# Needs root, /dev/fuse, Debian's fuse3 and python3-fusepy. Usage: selftest.sh
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3            # Debian's python: the one that has fusepy
FS="$HERE/powercut_fs.py"
WORK=$(mktemp -d /tmp/powercut-selftest.XXXXXX)
FAILED=0
FS_PID=
MOUNTS=()

cleanup() {
  set +e
  [ -n "$FS_PID" ] && kill -9 "$FS_PID" 2>/dev/null
  for m in "${MOUNTS[@]}"; do fusermount3 -u -z "$m" 2>/dev/null; done
  jobs -p | xargs -r kill -9 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1"; FAILED=1; }

# mount_fs NAME [--ignore-fsync]: backing $WORK/NAME/b, mount $WORK/NAME/m; sets B, M, FS_PID
mount_fs() {
  local name=$1; shift
  B=$WORK/$name/b; M=$WORK/$name/m
  mkdir -p "$B" "$M"
  "$PY" "$FS" "$B" "$M" --ready-file "$WORK/$name/ready" "$@" \
    >"$WORK/$name/fs.out" 2>"$WORK/$name/fs.err" &
  FS_PID=$!
  MOUNTS+=("$M")
  for _ in $(seq 200); do [ -s "$WORK/$name/ready" ] && return 0; sleep 0.05; done
  echo "powercut_fs did not mount:"; cat "$WORK/$name/fs.err"; exit 1
}

# The power cut: kill the daemon, then detach the dead mount.
cut() {
  kill -9 "$FS_PID" 2>/dev/null || true; wait "$FS_PID" 2>/dev/null || true; FS_PID=
  fusermount3 -u -z "$M"
}

# A SQLite writer: one committed transaction per row; after each commit it
# prints the number of rows committed so far (so the last line is a lower
# bound of what must survive). Prints "done" when it reaches MAX rows.
cat >"$WORK/writer.py" <<'EOF'
import sqlite3, sys
db, sync, progress, maxrows = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
con = sqlite3.connect(db, isolation_level=None, timeout=10)
con.execute('PRAGMA journal_mode=WAL')
con.execute('PRAGMA synchronous=' + sync)
out = open(progress, 'w', buffering=1)
for i in range(1, maxrows + 1):
    con.execute('BEGIN')
    con.execute('INSERT INTO t(payload) VALUES (?)', ('row %d %s' % (i, 'x' * 100),))
    con.execute('COMMIT')
    out.write('%d\n' % i)
out.write('done\n')
EOF

# new_db PATH: the schema, made durable before any mount (so only rows are at stake)
new_db() {
  "$PY" -c "
import sqlite3, sys
con = sqlite3.connect(sys.argv[1]); con.execute('PRAGMA journal_mode=WAL')
con.execute('CREATE TABLE t(id INTEGER PRIMARY KEY, payload TEXT)'); con.close()" "$1"
}

# rows PATH: the row count of a database opened directly (after the cut), if it is
# intact and the rows are 1..count with no hole
rows() {
  "$PY" -c "
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
ok = con.execute('PRAGMA integrity_check').fetchone()[0]
n, top = con.execute('SELECT count(*), coalesce(max(id), 0) FROM t').fetchone()
print('corrupt:' + ok if ok != 'ok' else n if n == top else 'holes:%d/%d' % (n, top))" "$1"
}

last_committed() { grep -E '^[0-9]+$' "$1" | tail -n 1 || echo 0; }

# sqlite_cut NAME SYNC [fs args]: write through the mount, cut power mid-stream;
# sets COMMITTED (what the writer saw committed) and SURVIVING (counted on the backing db)
sqlite_cut() {
  local name=$1 sync=$2; shift 2
  mount_fs "$name" "$@"
  new_db "$B/db"
  "$PY" "$WORK/writer.py" "$M/db" "$sync" "$WORK/$name/progress" 100000 \
    >/dev/null 2>"$WORK/$name/writer.err" &
  local writer=$!
  # cut at a random moment once a few hundred rows are in (and some checkpoints done)
  for _ in $(seq 600); do
    [ "$(last_committed "$WORK/$name/progress" 2>/dev/null)" -ge 300 ] 2>/dev/null && break
    sleep 0.05
  done
  sleep "0.$((RANDOM % 10))"
  cut
  COMMITTED=$(last_committed "$WORK/$name/progress")
  kill -9 "$writer" 2>/dev/null || true; wait "$writer" 2>/dev/null || true
  SURVIVING=$(rows "$B/db")
}

# ---- (1) fsynced data survives the cut
mount_fs c1
"$PY" -c "
import os
fd = os.open('$M/f', os.O_CREAT | os.O_WRONLY); os.write(fd, b'durable data'); os.fsync(fd); os.close(fd)"
cut
[ "$(cat "$B/f")" = "durable data" ] && pass "1 fsynced file survives the power cut" \
  || fail "1 fsynced file survives the power cut (got '$(cat "$B/f")')"

# ---- (2) unsynced data is lost: a new file is empty, an old one keeps its old content
mount_fs c2
"$PY" -c "
import os
fd = os.open('$M/old', os.O_CREAT | os.O_WRONLY); os.write(fd, b'old'); os.fsync(fd); os.close(fd)
with open('$M/old', 'wb') as f: f.write(b'new content, never synced')
with open('$M/new', 'wb') as f: f.write(b'never synced')
assert open('$M/old', 'rb').read() == b'new content, never synced'  # visible before the cut
assert os.path.getsize('$M/new') == 12"
cut
if [ -e "$B/new" ] && [ ! -s "$B/new" ] && [ "$(cat "$B/old")" = "old" ]; then
  pass "2 unsynced writes are lost (new file empty, old file keeps 'old')"
else
  fail "2 unsynced writes are lost (new: $(wc -c <"$B/new" 2>/dev/null) bytes, old: '$(cat "$B/old")')"
fi

# ---- (3) SQLite WAL + synchronous=FULL: every committed row survives
sqlite_cut c3 FULL; committed=$COMMITTED surviving=$SURVIVING
if [[ "$surviving" =~ ^[0-9]+$ ]] && [ "$committed" -gt 0 ] && [ "$surviving" -ge "$committed" ]; then
  pass "3 WAL synchronous=FULL: committed $committed, after the cut $surviving"
else
  fail "3 WAL synchronous=FULL: committed $committed, after the cut $surviving"
fi

# ---- (4) SQLite WAL + synchronous=OFF: committed rows are lost
sqlite_cut c4 OFF; committed=$COMMITTED surviving=$SURVIVING
if [[ "$surviving" =~ ^[0-9]+$ ]] && [ "$surviving" -lt "$committed" ]; then
  pass "4 WAL synchronous=OFF loses rows: committed $committed, after the cut $surviving"
else
  fail "4 WAL synchronous=OFF loses rows: committed $committed, after the cut $surviving"
fi

# ---- (5) a disk that ignores fsync: even synchronous=FULL loses rows
sqlite_cut c5 FULL --ignore-fsync; committed=$COMMITTED surviving=$SURVIVING
if [[ "$surviving" =~ ^[0-9]+$ ]] && [ "$surviving" -lt "$committed" ]; then
  pass "5 --ignore-fsync loses rows under FULL: committed $committed, after the cut $surviving"
else
  fail "5 --ignore-fsync loses rows under FULL: committed $committed, after the cut $surviving"
fi

# ---- (6) a writer and a separate reader process share the WAL db (and its mmap'ed -shm)
mount_fs c6
new_db "$B/db"
"$PY" "$WORK/writer.py" "$M/db" FULL "$WORK/c6/progress" 1500 >/dev/null 2>"$WORK/c6/writer.err" &
writer=$!
reader_out=$("$PY" - "$M/db" "$WORK/c6/progress" <<'EOF'
import sqlite3, sys, time
db, progress = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db, isolation_level=None, timeout=10)
seen, last, shm_mapped = set(), -1, False
deadline = time.time() + 60
while time.time() < deadline:
    try:
        done = open(progress).read().endswith('done\n')
    except FileNotFoundError:  # the writer has not started yet
        done = False
    n = con.execute('SELECT count(*) FROM t').fetchone()[0]
    if n < last:
        sys.exit('count went back from %d to %d' % (last, n))
    last = n
    seen.add(n)
    shm_mapped = shm_mapped or any(l.rstrip().endswith(db + '-shm') for l in open('/proc/self/maps'))
    if done:
        break
final = con.execute('SELECT count(*) FROM t').fetchone()[0]
ok = con.execute('PRAGMA integrity_check').fetchone()[0]
print(final, len(seen), shm_mapped, ok)
EOF
) || reader_out="reader failed: $reader_out"
wait "$writer" || reader_out="writer failed: $(cat "$WORK/c6/writer.err") / $reader_out"
read -r final distinct shm ok <<<"$reader_out" || true
if [ "$final" = 1500 ] && [ "$distinct" -gt 5 ] && [ "$shm" = True ] && [ "$ok" = ok ]; then
  pass "6 concurrent writer + reader processes: final $final rows, reader saw $distinct distinct counts, -shm mmap'ed over FUSE"
else
  fail "6 concurrent writer + reader processes: $reader_out"
fi
cut

# ---- (7) pending truncate and writes follow a rename and land only on fsync
mount_fs c7
"$PY" -c "
import os
m = '$M'
fd = os.open(m + '/f', os.O_CREAT | os.O_RDWR); os.write(fd, b'A' * 10000); os.fsync(fd)
os.ftruncate(fd, 100); os.pwrite(fd, b'B', 200); os.close(fd)
assert open(m + '/f', 'rb').read() == b'A' * 100 + bytes(100) + b'B'
os.rename(m + '/f', m + '/g')
with open(m + '/u', 'wb') as f: f.write(b'lost')
os.rename(m + '/u', m + '/v')
fd = os.open(m + '/g', os.O_RDONLY); os.fsync(fd); os.close(fd)"
cut
if "$PY" -c "
import os
assert open('$B/g', 'rb').read() == b'A' * 100 + bytes(100) + b'B'
assert not os.path.exists('$B/f') and os.path.getsize('$B/v') == 0"; then
  pass "7 truncate + write pending through a rename, applied by fsync; unsynced renamed file empty"
else
  fail "7 truncate + write pending through a rename"
fi

# ---- (8) SIGUSR1 prints stats; SIGTERM exits at once and flushes nothing either
mount_fs c8
printf 'unsynced' >"$M/f"
kill -USR1 "$FS_PID"
for _ in $(seq 100); do grep -q 'files_pending=' "$WORK/c8/fs.err" && break; sleep 0.02; done
kill -TERM "$FS_PID"
for _ in $(seq 100); do kill -0 "$FS_PID" 2>/dev/null || break; sleep 0.02; done
if grep -q 'fsyncs=0 pending_bytes=4096 files_pending=1' "$WORK/c8/fs.err" \
    && ! kill -0 "$FS_PID" 2>/dev/null && [ -e "$B/f" ] && [ ! -s "$B/f" ]; then
  pass "8 SIGUSR1 stats ($(grep -o 'fsyncs=.*' "$WORK/c8/fs.err")); SIGTERM exits without flushing"
else
  fail "8 SIGUSR1 stats / SIGTERM: $(cat "$WORK/c8/fs.err")"
fi
cut

# ---- timing: 1,000 small committed transactions (synchronous=FULL), through the mount and directly
mount_fs t1
new_db "$B/db"
mkdir -p "$WORK/direct"; new_db "$WORK/direct/db"
t0=$(date +%s%N)
"$PY" "$WORK/writer.py" "$M/db" FULL "$WORK/t1/progress" 1000 >/dev/null
t1=$(date +%s%N)
"$PY" "$WORK/writer.py" "$WORK/direct/db" FULL "$WORK/t1/progress.direct" 1000 >/dev/null
t2=$(date +%s%N)
cut
echo "TIME 1000 committed transactions (WAL, FULL): $(( (t1 - t0) / 1000000 )) ms through powercut_fs," \
  "$(( (t2 - t1) / 1000000 )) ms directly on the backing disk"

# No daemon may have hit an error (fusepy logs failed operations on stderr)
if cat "$WORK"/*/fs.err | grep -qiE 'error|exception|traceback'; then
  fail "daemon logs are clean:"; cat "$WORK"/*/fs.err
else
  pass "daemon logs are clean"
fi

[ "$FAILED" = 0 ] && echo "selftest: all cases PASS" || echo "selftest: FAILED"
exit "$FAILED"
