"""Reading a large file in a second process while this one writes to the database: on two cores an
import then takes about the longer of parsing and writing instead of their sum.

The reader process is forked (it inherits the loaded parser and settings, nothing is pickled on the
way in) and never touches the database; chunks of records come back through a bounded queue, so
memory stays bounded however large the file.
"""

import multiprocessing
import os
import queue
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


def _read(reader, path, size, name, results):
    try:
        for chunk in chunks(reader.parse(path, name), size):
            results.put(("chunk", chunk))
        results.put(("end", None))
    except RecordError as error:
        results.put(("error", error))
    except BaseException:  # whatever it is, the importing process reports it
        results.put(("crash", traceback.format_exc()))


def parsed_chunks(reader, path, size, name=None):
    """The records of `path` (and RecordErrors), in file order, `size` at a time, parsed by another process."""
    context = multiprocessing.get_context("fork")
    results = context.Queue(maxsize=QUEUE_CHUNKS)
    process = context.Process(target=_read, args=(reader, path, size, name, results), daemon=True)
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
