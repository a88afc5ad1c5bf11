"""Reading a large file in a second process while this one writes to the database: on two cores an
import then takes about the longer of parsing and writing instead of their sum.

The reader process is forked (it inherits the loaded parser and settings, nothing is pickled on the
way in) and never touches the database: it parses the records and prepares them (prepare.Prepared is
pure Python), so the writing process only matches and writes. Chunks come back through a bounded
queue, so memory stays bounded however large the file.
"""

import contextlib
import ctypes
import multiprocessing
import os
import queue
import signal
import traceback
from itertools import islice

from literature.importers.record import RecordError

# Below this size a file parses in less time than starting a process takes to pay back.
PARALLEL_FROM_BYTES = 4 * 2**20
QUEUE_CHUNKS = 4


def chunks(items, size):
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def worth_a_process(path):
    return (os.cpu_count() or 1) > 1 and os.path.getsize(path) >= PARALLEL_FROM_BYTES


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with(parent):
    """The reader goes when the importing process goes, however it goes: killed (SIGKILL runs no
    cleanup), the reader would otherwise wait on the full queue for ever. Linux sends it SIGKILL when
    the parent dies; elsewhere, and for a parent gone before that was asked, each wait checks."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the waits' checks alone
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _put(results, item, parent):
    while True:
        try:
            results.put(item, timeout=1)
            return
        except queue.Full:
            if os.getppid() != parent:
                os._exit(1)


def _read(items, size, results, parent):
    _die_with(parent)
    try:
        for chunk in chunks(items(), size):
            _put(results, ("chunk", chunk), parent)
        _put(results, ("end", None), parent)
    except RecordError as error:
        _put(results, ("error", error), parent)
    except BaseException:  # whatever it is, the importing process reports it
        _put(results, ("crash", traceback.format_exc()), parent)


def chunks_from_another_process(items, size, path):
    """What `items()` yields (records of `path` and their RecordErrors, in file order), `size` at a
    time, computed by another process."""
    context = multiprocessing.get_context("fork")
    results = context.Queue(maxsize=QUEUE_CHUNKS)
    process = context.Process(target=_read, args=(items, size, results, os.getpid()), daemon=True)
    process.start()
    try:
        while True:
            try:
                kind, payload = results.get(timeout=1)
            except queue.Empty:
                if not process.is_alive():
                    raise RuntimeError(f"the process reading {path} stopped (exit code {process.exitcode})") from None
                continue
            if kind == "chunk":
                yield payload
            elif kind == "end":
                return
            elif kind == "error":
                raise payload
            else:
                raise RuntimeError(f"reading {path} failed:\n{payload}")
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        results.close()
