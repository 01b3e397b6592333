#!/usr/bin/python3
"""powercut_fs: a FUSE passthrough file system that simulates a power cut.

    /usr/bin/python3 powercut_fs.py BACKING_DIR MOUNT_DIR [--ignore-fsync] [--ready-file F]

Like LazyFS: file DATA written through MOUNT_DIR is held in this process's
memory until the file is fsync'ed/fdatasync'ed; only then is it written to
BACKING_DIR. Killing this daemon (SIGKILL, or SIGTERM/SIGINT, which exit at
once too) is a power cut: every byte not yet synced is gone. The caller then
runs `fusermount3 -u -z MOUNT_DIR` and inspects BACKING_DIR, which holds
exactly what a disk would hold after the cut.

Model (deliberately simple):
  * Metadata (create, mkdir, unlink, rmdir, rename, link, symlink, chmod,
    chown, utimens) goes to BACKING_DIR at once, i.e. it is treated as durable,
    so a missing directory fsync is never caught.
  * Data writes and truncates are pending per file until fsync of that file.
    close() does not make data durable; pending data outlives close/reopen.
    Unsynced data is always lost whole (the worst case): no torn writes, no
    background writeback saving some of it.
  * --ignore-fsync: fsync says yes and applies nothing (a disk that lies).
  * SIGUSR1 prints "fsyncs=N pending_bytes=M files_pending=K" on stderr.
  * After the cut, processes still using the mount get ENOTCONN, or SIGBUS
    on a page of an mmap'ed file (SQLite's -shm) that is not in memory.

Needs Debian's python3-fusepy (libfuse2 underneath), /dev/fuse and root.
"""
import logging
import os
import signal
import stat
import sys
import threading
import time

from fusepy import FUSE, Operations, fuse_get_context

PAGE = 4096


class Pending:
    """Unsynced state of one file: dirty pages over the backing file.

    Pages (not byte ranges) keep reads and the sync simple; a dirty page is
    filled from the backing file when first touched, so bytes of it that were
    never written still read back as they are on the backing file.
    """

    def __init__(self, backing_size):
        self.size = backing_size  # the size readers see
        # Backing bytes at or past `base` are hidden: a pending truncate cut
        # them off, so if the file grows again they must read as zeros.
        self.base = backing_size
        self.pages = {}  # page index -> bytearray(PAGE)

    def page(self, idx, fd):
        buf = self.pages.get(idx)
        if buf is None:
            buf = bytearray(PAGE)
            start = idx * PAGE
            if start < self.base:
                old = os.pread(fd, min(PAGE, self.base - start), start)
                buf[:len(old)] = old
            self.pages[idx] = buf
        return buf

    def write(self, fd, data, offset):
        pos, view = offset, memoryview(data)
        while view:
            idx, at = divmod(pos, PAGE)
            n = min(PAGE - at, len(view))
            self.page(idx, fd)[at:at + n] = view[:n]
            pos, view = pos + n, view[n:]
        self.size = max(self.size, pos)

    def truncate(self, length):
        self.size = length
        self.base = min(self.base, length)
        for idx in [i for i in self.pages if i * PAGE >= length]:
            del self.pages[idx]
        idx, at = divmod(length, PAGE)
        if at and idx in self.pages:  # zero the cut-off tail of the last page
            self.pages[idx][at:] = bytes(PAGE - at)

    def read(self, fd, size, offset):
        end = min(offset + size, self.size)
        if offset >= end:
            return b''
        out = bytearray(end - offset)
        if offset < self.base:
            old = os.pread(fd, min(end, self.base) - offset, offset)
            out[:len(old)] = old
        for idx in range(offset // PAGE, (end - 1) // PAGE + 1):
            buf = self.pages.get(idx)
            if buf is not None:
                lo, hi = max(offset, idx * PAGE), min(end, idx * PAGE + PAGE)
                out[lo - offset:hi - offset] = buf[lo - idx * PAGE:hi - idx * PAGE]
        return bytes(out)

    def apply(self, fd):
        """Make this state the backing file's content (the "disk write")."""
        if self.base < os.fstat(fd).st_size:
            os.ftruncate(fd, self.base)
        for idx in sorted(self.pages):
            n = min(PAGE, self.size - idx * PAGE)
            if n > 0:
                os.pwrite(fd, self.pages[idx][:n], idx * PAGE)
        os.ftruncate(fd, self.size)


class PowerCutFS(Operations):
    use_ns = True  # utimens gets nanoseconds (and fusepy stops warning)
    # Not provided: libfuse then answers ENOSYS, and the kernel does POSIX
    # locks itself (which is what SQLite's locking and -shm need: all its
    # processes use this one mount) and stops asking for xattrs.
    lock = getxattr = setxattr = listxattr = removexattr = ioctl = bmap = None

    def __init__(self, root, ignore_fsync):
        self.root = os.path.realpath(root)
        self.ignore_fsync = ignore_fsync
        # Keyed by backing inode, not path: rename, hard links and libfuse's
        # .fuse_hidden renames of open-but-unlinked files then need no care.
        self.pending = {}   # (st_dev, st_ino) -> Pending
        self.fh_key = {}    # our fd -> (st_dev, st_ino)
        self.fsyncs = 0
        # One lock around every operation: correctness over speed.
        self.mutex = threading.Lock()

    def __call__(self, op, *args):
        with self.mutex:
            return super().__call__(op, *args)

    def _b(self, path):
        return self.root + path

    def _state(self, key, backing_size):
        st = self.pending.get(key)
        if st is None:
            st = self.pending[key] = Pending(backing_size)
        return st

    def _own(self, path):
        """The daemon runs as root: hand what it creates to the caller (a
        PostgreSQL server runs as its own user and must own its files)."""
        uid, gid, _ = fuse_get_context()
        os.chown(self._b(path), uid, gid, follow_symlinks=False)

    def _forget_if_last_link(self, path):
        """Before a name goes away: if it was the file's last link, its
        pending data can never be synced, so drop it (inodes get reused)."""
        try:
            st = os.lstat(self._b(path))
        except FileNotFoundError:
            return
        if stat.S_ISREG(st.st_mode) and st.st_nlink == 1:
            self.pending.pop((st.st_dev, st.st_ino), None)

    # ---- metadata: straight to the backing dir, durable at once ----
    def getattr(self, path, fh=None):
        st = os.fstat(fh) if fh is not None else os.lstat(self._b(path))
        attrs = {k: getattr(st, k) for k in (
            'st_mode', 'st_ino', 'st_dev', 'st_nlink', 'st_uid', 'st_gid',
            'st_size', 'st_blocks', 'st_blksize', 'st_rdev')}
        attrs.update(st_atime=st.st_atime_ns, st_mtime=st.st_mtime_ns,
                     st_ctime=st.st_ctime_ns)
        p = self.pending.get((st.st_dev, st.st_ino))
        if p is not None and stat.S_ISREG(st.st_mode):
            attrs['st_size'] = p.size
            attrs['st_blocks'] = max(st.st_blocks, (p.size + 511) // 512)
        return attrs

    def readdir(self, path, fh):
        return ['.', '..'] + os.listdir(self._b(path))

    def readlink(self, path):
        return os.readlink(self._b(path))

    def mknod(self, path, mode, dev):
        os.mknod(self._b(path), mode, dev)
        self._own(path)

    def mkdir(self, path, mode):
        os.mkdir(self._b(path), mode)
        self._own(path)

    def rmdir(self, path):
        os.rmdir(self._b(path))

    def unlink(self, path):
        self._forget_if_last_link(path)
        os.unlink(self._b(path))

    def rename(self, old, new):
        a = os.lstat(self._b(old))
        try:
            b = os.lstat(self._b(new))
        except FileNotFoundError:
            b = None
        os.rename(self._b(old), self._b(new))
        if b is not None and (b.st_dev, b.st_ino) != (a.st_dev, a.st_ino) \
                and stat.S_ISREG(b.st_mode) and b.st_nlink == 1:
            self.pending.pop((b.st_dev, b.st_ino), None)  # replaced: gone

    def symlink(self, target, source):  # fusepy: link `target` -> `source`
        os.symlink(source, self._b(target))
        self._own(target)

    def link(self, target, source):  # fusepy: new name `target` for `source`
        os.link(self._b(source), self._b(target))

    def chmod(self, path, mode):
        os.chmod(self._b(path), mode, follow_symlinks=False)

    def chown(self, path, uid, gid):
        os.chown(self._b(path), uid, gid, follow_symlinks=False)

    def utimens(self, path, times=None):
        os.utime(self._b(path), ns=times, follow_symlinks=False) if times \
            else os.utime(self._b(path), follow_symlinks=False)

    def statfs(self, path):
        sv = os.statvfs(self._b(path))
        return {k: getattr(sv, k) for k in (
            'f_bavail', 'f_bfree', 'f_blocks', 'f_bsize', 'f_favail',
            'f_ffree', 'f_files', 'f_flag', 'f_frsize', 'f_namemax')}

    # ---- files: the backing fd is our file handle ----
    def _open(self, path, extra=0, mode=0o666):
        # Always read-write, and none of the caller's flags: O_APPEND would
        # make pwrite ignore offsets (the kernel sends the append offset),
        # O_TRUNC arrives as a separate truncate, O_DIRECT would reject our
        # unaligned I/O, and O_SYNC/O_DSYNC reach us as fsync calls anyway.
        b = self._b(path)
        try:
            fd = os.open(b, os.O_RDWR | os.O_CLOEXEC | extra, mode)
        except PermissionError:
            fd = os.open(b, os.O_RDONLY | os.O_CLOEXEC | extra, mode)
        st = os.fstat(fd)
        self.fh_key[fd] = (st.st_dev, st.st_ino)
        return fd

    def open(self, path, flags):
        return self._open(path)

    def create(self, path, mode, fi=None):
        fd = self._open(path, os.O_CREAT, mode)
        self._own(path)
        return fd

    def read(self, path, size, offset, fh):
        p = self.pending.get(self.fh_key[fh])
        return p.read(fh, size, offset) if p else os.pread(fh, size, offset)

    def write(self, path, data, offset, fh):
        key = self.fh_key[fh]
        self._state(key, os.fstat(fh).st_size).write(fh, data, offset)
        return len(data)

    def truncate(self, path, length, fh=None):
        # Pending like a write: until fsync the backing file keeps its size.
        st = os.fstat(fh) if fh is not None else os.lstat(self._b(path))
        self._state((st.st_dev, st.st_ino), st.st_size).truncate(length)

    def flush(self, path, fh):
        return 0  # close() is not a sync: pending data stays pending

    def release(self, path, fh):
        del self.fh_key[fh]
        os.close(fh)

    def fsync(self, path, datasync, fh):
        self.fsyncs += 1
        if self.ignore_fsync:
            return 0  # the lying disk: say yes, keep it all in RAM
        p = self.pending.pop(self.fh_key[fh], None)
        if p is not None:
            # No os.fsync of the backing fd: the backing dir is on a real
            # file system that outlives this daemon, and the cut we simulate
            # is the daemon's death, not the host's. Skipping it keeps the
            # store's own fsync-heavy paths fast.
            p.apply(fh)

    def fsyncdir(self, path, datasync, fh):
        return 0  # directory entries are durable at once in this model

    def stats(self):
        with self.mutex:
            pages = sum(len(p.pages) for p in self.pending.values())
            return 'fsyncs=%d pending_bytes=%d files_pending=%d' % (
                self.fsyncs, pages * PAGE, len(self.pending))


def handle_signals(fs):
    """Signals are taken by this thread with sigwait: Python handlers would
    only run in the main thread, which sits inside libfuse's C loop. Exiting
    with os._exit closes /dev/fuse, which aborts the mount exactly as SIGKILL
    does; nothing is flushed, ever."""
    wanted = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGUSR1}
    while True:
        sig = signal.sigwait(wanted)
        if sig == signal.SIGUSR1:
            print('powercut_fs: ' + fs.stats(), file=sys.stderr, flush=True)
        else:
            os._exit(128 + sig)


def announce_when_mounted(mount, backing, ready_file):
    while not os.path.ismount(mount):  # stat blocks until FUSE INIT is done
        time.sleep(0.01)
    if ready_file:  # write then rename, so a reader never sees it half-written
        with open(ready_file + '.tmp', 'w') as f:
            f.write(mount + '\n')
        os.rename(ready_file + '.tmp', ready_file)
    print('powercut_fs: mounted %s over %s' % (mount, backing), flush=True)


def main(argv):
    args, ignore_fsync, ready_file = [], False, None
    it = iter(argv)
    for a in it:
        if a == '--ignore-fsync':
            ignore_fsync = True
        elif a == '--ready-file':
            ready_file = os.path.abspath(next(it))
        else:
            args.append(a)
    if len(args) != 2:
        sys.exit(__doc__)
    backing, mount = (os.path.realpath(a) for a in args)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    os.umask(0)  # the kernel already applied the caller's umask to modes
    fs = PowerCutFS(backing, ignore_fsync)
    # Block the signals before any thread exists so that every thread,
    # libfuse's included, inherits the mask and only sigwait receives them.
    signal.pthread_sigmask(signal.SIG_BLOCK, {
        signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGUSR1})
    threading.Thread(target=handle_signals, args=(fs,), daemon=True).start()
    threading.Thread(target=announce_when_mounted,
                     args=(mount, backing, ready_file), daemon=True).start()
    # kernel_cache: keep the page cache across opens. Every change passes
    # through this mount, so the cache is never stale, and it is not dropped
    # under a process that has the file mmap'ed (SQLite's -shm) whenever
    # another process opens it. No direct_io: that would forbid shared mmap.
    # big_writes/max_write: 128 KiB writes instead of libfuse2's 4 KiB.
    # allow_other + default_permissions: a PostgreSQL server refuses to run
    # as root, so other users must get in, with the kernel checking modes.
    FUSE(fs, mount, foreground=True, nothreads=False, fsname='powercut',
         kernel_cache=True, big_writes=True, max_write=131072,
         max_read=131072, nonempty=True, allow_other=True,
         default_permissions=True)


if __name__ == '__main__':
    main(sys.argv[1:])
