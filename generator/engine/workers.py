"""Worker processes: run named tasks on every core, and end with the build however it ends.

The workers are forked, so they share what the build holds in memory (the
catalogue, the views) without copying it through a pipe; only task names go
in and results come out. A worker asks the kernel to stop it when the build
process ends (Linux ``PR_SET_PDEATHSIG``), and the build kills its workers
when it fails or is interrupted, so no worker runs on after the build.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import queue
import signal
from collections.abc import Callable, Sequence
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

Result = TypeVar("Result")

_PR_SET_PDEATHSIG = 1
_in_worker = False


def in_worker() -> bool:
    """Return whether this process is one of the build's workers (which fork no further)."""
    return _in_worker


def isolated(function: Callable[..., Result], *args: Any) -> Result:
    """Return ``function(*args)`` computed in a forked child process; raise what it raises.

    A library that starts threads (Typst's thread pool) cannot be used in a
    process that will fork later: the forked worker inherits the pool's state
    but none of its threads, and waits for them for ever. The build process
    and a test process fork workers, so they run such a library only here,
    in a child that ends at once; the workers call it directly.
    """
    if _in_worker:
        return function(*args)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_run_once, args=(function, args, send), daemon=True)
    child.start()
    send.close()
    try:
        failed, value = receive.recv()
    except EOFError:
        child.join()
        raise RuntimeError(f"a child process ended with code {child.exitcode}") from None
    finally:
        receive.close()
        child.join()
    if failed:
        raise value
    return value  # type: ignore[no-any-return]


def _run_once(function: Callable[..., Any], args: tuple[Any, ...], send: Any) -> None:
    global _in_worker
    _in_worker = True
    try:
        send.send((False, function(*args)))
    except Exception as exc:  # handed to the parent, which raises it
        send.send((True, exc))
    finally:
        send.close()


def core_count() -> int:
    """Return the number of cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def run_tasks(
    tasks: Sequence[str], work: Callable[[str], Result], workers: int
) -> dict[str, Result]:
    """Return ``work(task)`` for every task, in ``workers`` processes (1: in this one).

    An exception raised by a task is raised here, after the workers are stopped.
    """
    if workers <= 1 or len(tasks) <= 1:
        return {task: work(task) for task in tasks}
    context = multiprocessing.get_context("fork")
    todo: Any = context.Queue()
    done: Any = context.Queue()
    processes = [
        context.Process(target=_serve, args=(work, todo, done), daemon=True)
        for _ in range(min(workers, len(tasks)))
    ]
    try:
        for process in processes:
            process.start()
        for task in [*tasks, *(None for _ in processes)]:  # a pipe holds 64 KiB: fed by a thread
            todo.put(task)
        return _collect(tasks, done, processes)
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
            process.join()
        for channel in (todo, done):
            channel.close()
            channel.cancel_join_thread()  # what is left in a pipe is not wanted


def _collect(tasks: Sequence[str], done: Any, processes: Sequence[BaseProcess]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    while len(results) < len(tasks):
        try:
            task, failed, value = done.get(timeout=0.5)
        except queue.Empty:
            lost = [p for p in processes if p.exitcode not in (None, 0)]
            if lost:
                raise RuntimeError(f"a worker process ended with code {lost[0].exitcode}") from None
            continue
        if failed:
            raise value
        results[task] = value
    return results


def _serve(work: Callable[[str], Any], todo: Any, done: Any) -> None:
    """Run tasks until told to stop (in a worker)."""
    global _in_worker
    _in_worker = True
    _end_with_parent()
    while (task := todo.get()) is not None:
        try:
            done.put((task, False, work(task)))
        except Exception as exc:  # handed to the build, which raises it
            done.put((task, True, exc))


def _end_with_parent() -> None:
    """Have the kernel stop this worker when the build process ends, however it ends (Linux)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the build, which stops us
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the build ended before this worker had asked
        os._exit(1)
