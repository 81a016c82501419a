"""Executors: one interface to run work units serially, in local processes or on Ray.

`executor.map(fn, items, shared)` calls `fn(shared, item)` for every item and returns
the results in item order. `fn` must be a module-level function (it travels by name),
items and results plain picklable data; `shared` (a library snapshot, a task's
examples) is handed over once with `executor.share(obj)` and reused by every call.

A unit whose worker dies, times out (`timeout` seconds after it started) or raises
comes back as a `Failure` with the reason, and the other units go on: the pool starts a
fresh worker, Ray reschedules nothing (`max_retries=0`). Executors:

- `SerialExecutor`: in this process, in order (no timeouts: a unit cannot be stopped);
- `PoolExecutor(jobs)`: our own pool of `jobs` processes (spawn by default), one unit
  per worker at a time, so a dead or stuck worker is known and replaced;
- `RayExecutor(address)`: Ray tasks on a local Ray instance (`address=None`, started
  here and stopped on `close`) or an existing cluster (`"auto"`, `"ray://host:10001"`).
  `ray` is an optional dependency (`pip install 'neurosym[ray]'`), imported lazily.

This module sits in `search/` (DESIGN.md lists executors under curriculum/) because the
genetic searcher's evaluation uses them too, and search may not import curriculum.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import pickle
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any, Callable, Sequence

from neurosym.errors import InvalidArgument, NotFound

log = logging.getLogger(__name__)

EXECUTORS = ("serial", "pool", "ray")

#: True inside an executor's worker process (never in the process that called map)
IN_WORKER = False


@dataclass(frozen=True)
class Failure:
    """A work unit that gave no result: its worker died, timed out or raised."""

    reason: str


@dataclass(frozen=True)
class Shared:
    """Data handed to every call of one map (see `Executor.share`)."""

    key: str
    payload: Any  # the object (serial), its pickle (pool) or a Ray ObjectRef


class Executor:
    """Runs `fn(shared, item)` for many items; see the module docstring."""

    name = "executor"
    workers = 1

    def share(self, obj: Any) -> Shared:
        return Shared(_digest(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)), obj)

    def map(self, fn: Callable[[Any, Any], Any], items: Sequence[Any], shared: Shared | Any = None,
            timeout: float | None = None, on_result: Callable[[int, Any], None] | None = None) -> list[Any]:
        raise NotImplementedError

    def close(self) -> None:
        """Stop the workers (an executor may not be used afterwards)."""

    def __enter__(self) -> "Executor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _shared(self, shared: Shared | Any) -> Shared:
        return shared if isinstance(shared, Shared) else self.share(shared)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def _describe(err: BaseException) -> str:
    return f"raised {type(err).__name__}: {err}"


class SerialExecutor(Executor):
    """Everything in this process, in order."""

    name = "serial"

    def share(self, obj: Any) -> Shared:
        return Shared(str(id(obj)), obj)

    def map(self, fn, items, shared=None, timeout=None, on_result=None):
        payload = self._shared(shared).payload
        results = []
        for i, item in enumerate(items):
            try:
                result = fn(payload, item)
            except Exception as err:  # a unit that raises fails alone
                result = Failure(_describe(err))
            results.append(result)
            if on_result:
                on_result(i, result)
        return results


# -- local processes -------------------------------------------------------------------

def _worker_main(conn: Any) -> None:
    """A pool worker: receive ('share', key, bytes) and ('run', key, fn, item), answer runs."""
    global IN_WORKER
    IN_WORKER = True
    shared_key, shared_obj = None, None
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        if message[0] == "share":
            shared_key, shared_obj = message[1], pickle.loads(message[2])
            continue
        _, key, fn, item = message
        try:
            assert key == shared_key, "shared data was not sent first"
            answer = ("ok", fn(shared_obj, item))
        except Exception as err:
            answer = ("error", _describe(err))
        try:
            conn.send(answer)
        except Exception as err:  # an unpicklable result
            conn.send(("error", f"result could not be sent back: {_describe(err)}"))


class _Worker:
    def __init__(self, ctx: Any) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child,), daemon=True)
        self.process.start()
        child.close()
        self.shared_key: str | None = None
        self.busy: int | None = None  # index of the unit it runs
        self.started = 0.0

    def stop(self, kill: bool = False) -> None:
        if not kill:
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class PoolExecutor(Executor):
    """`jobs` worker processes, kept between maps; a dead or stuck one is replaced."""

    name = "pool"

    def __init__(self, jobs: int = 2, start_method: str | None = "spawn") -> None:
        if jobs < 1:
            raise InvalidArgument(f"jobs must be at least 1, got {jobs}")
        methods = multiprocessing.get_all_start_methods()
        self.ctx = multiprocessing.get_context(start_method if start_method in methods else None)
        self.workers = jobs
        self._pool: list[_Worker] = []

    def share(self, obj: Any) -> Shared:
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        return Shared(_digest(data), data)

    def map(self, fn, items, shared=None, timeout=None, on_result=None):
        shared = self._shared(shared)
        results: list[Any] = [None] * len(items)
        todo = deque(range(len(items)))
        while len(self._pool) < min(self.workers, len(items)):
            self._pool.append(_Worker(self.ctx))
        running = 0
        while todo or running:
            for w in self._pool:
                if w.busy is None and todo:
                    i = todo.popleft()
                    try:
                        if w.shared_key != shared.key:
                            w.conn.send(("share", shared.key, shared.payload))
                            w.shared_key = shared.key
                        w.conn.send(("run", shared.key, fn, items[i]))
                    except (OSError, pickle.PicklingError, AttributeError, TypeError) as err:
                        self._finish(results, i, Failure(f"could not be sent to a worker: {_describe(err)}"),
                                     on_result)
                        if isinstance(err, OSError):
                            self._replace(w)
                        continue
                    w.busy, w.started = i, time.monotonic()
                    running += 1
            if not running:
                continue
            busy = [w for w in self._pool if w.busy is not None]
            wait_for = None
            if timeout is not None:
                wait_for = max(0.0, min(w.started + timeout for w in busy) - time.monotonic())
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], wait_for))
            now = time.monotonic()
            for w in busy:
                i = w.busy
                assert i is not None
                outcome: Any = None
                if w.conn in ready:
                    try:
                        status, value = w.conn.recv()
                        outcome = value if status == "ok" else Failure(value)
                    except (EOFError, OSError):
                        outcome = self._died(w)
                elif w.process.sentinel in ready:
                    outcome = self._died(w)
                elif timeout is not None and now - w.started >= timeout:
                    outcome = Failure(f"timed out after {timeout:.1f} s: worker killed")
                    log.warning("unit %d timed out after %.1f s; its worker is killed", i, timeout)
                    self._replace(w, kill=True)
                else:
                    continue
                w.busy = None
                running -= 1
                self._finish(results, i, outcome, on_result)
        return results

    def _died(self, w: _Worker) -> Failure:
        w.process.join(5)
        code = w.process.exitcode
        log.warning("a worker died (exit code %s); a fresh one takes its place", code)
        self._replace(w, kill=True)
        return Failure(f"worker died (exit code {code})")

    def _replace(self, w: _Worker, kill: bool = False) -> None:
        w.stop(kill=kill)
        fresh = _Worker(self.ctx)
        w.conn, w.process, w.shared_key = fresh.conn, fresh.process, None

    @staticmethod
    def _finish(results: list, i: int, outcome: Any, on_result: Callable[[int, Any], None] | None) -> None:
        results[i] = outcome
        if on_result:
            on_result(i, outcome)

    def close(self) -> None:
        for w in self._pool:
            w.stop()
        self._pool = []

    def __del__(self) -> None:
        try:
            for w in self._pool:
                w.stop(kill=True)
        except Exception:
            pass


# -- Ray -------------------------------------------------------------------------------

def _ray_call(fn: Callable[[Any, Any], Any], shared: Any, item: Any) -> Any:
    global IN_WORKER
    IN_WORKER = True
    return fn(shared, item)


def import_ray() -> Any:
    """The `ray` module, or ImportError with the install command."""
    try:
        import ray
    except ImportError:
        raise ImportError("the ray executor needs Ray: pip install 'neurosym[ray]' (or pip install ray)") from None
    return ray


class RayExecutor(Executor):
    """Ray tasks, at most one per CPU of the cluster in flight (so timeouts are fair)."""

    name = "ray"

    def __init__(self, address: str | None = None, num_cpus: int | None = None) -> None:
        ray = self.ray = import_ray()
        self.started_here = False
        if not ray.is_initialized():
            kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
            if address is None:
                kwargs["num_cpus"] = num_cpus or os.cpu_count() or 1
            ray.init(address=address, **kwargs)
            self.started_here = True
        self.workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
        self._remote = ray.remote(max_retries=0, num_cpus=1)(_ray_call)

    def share(self, obj: Any) -> Shared:
        return Shared(str(id(obj)), self.ray.put(obj))

    def map(self, fn, items, shared=None, timeout=None, on_result=None):
        ray = self.ray
        ref = self._shared(shared).payload
        results: list[Any] = [None] * len(items)
        todo = deque(range(len(items)))
        flight: dict[Any, tuple[int, float]] = {}
        while todo or flight:
            while todo and len(flight) < self.workers:
                i = todo.popleft()
                flight[self._remote.remote(fn, ref, items[i])] = (i, time.monotonic())
            wait_for = None
            if timeout is not None:
                wait_for = max(0.01, min(t for _, t in flight.values()) + timeout - time.monotonic())
            done, rest = ray.wait(list(flight), num_returns=1, timeout=wait_for)
            if done and rest:  # and whatever else is ready: one driver round trip per batch
                more, _ = ray.wait(rest, num_returns=len(rest), timeout=0)
                done += more
            for r in done:
                i, _ = flight.pop(r)
                try:
                    outcome = ray.get(r)
                except ray.exceptions.RayTaskError as err:  # fn raised
                    outcome = Failure(_describe(err.cause if err.cause is not None else err))
                except ray.exceptions.RayError as err:  # the worker died, the node went away
                    log.warning("unit %d: %s", i, type(err).__name__)
                    outcome = Failure(f"worker died ({type(err).__name__})")
                results[i] = outcome
                if on_result:
                    on_result(i, outcome)
            now = time.monotonic()
            for r, (i, t) in list(flight.items()):
                if timeout is not None and now - t >= timeout:
                    ray.cancel(r, force=True)
                    del flight[r]
                    results[i] = Failure(f"timed out after {timeout:.1f} s: task cancelled")
                    if on_result:
                        on_result(i, results[i])
        return results

    def close(self) -> None:
        if self.started_here and self.ray.is_initialized():
            self.ray.shutdown()
            self.started_here = False


def make_executor(name: str = "pool", jobs: int = 1, address: str | None = None) -> Executor:
    """An executor by name: 'serial', 'pool' (`jobs` processes; serial when jobs is 1)
    or 'ray' (a cluster at `address`, or a local instance with `jobs` CPUs)."""
    if name == "serial" or (name == "pool" and jobs <= 1):
        return SerialExecutor()
    if name == "pool":
        return PoolExecutor(jobs)
    if name == "ray":
        return RayExecutor(address, num_cpus=jobs if address is None and jobs > 1 else None)
    raise NotFound(f"unknown executor {name!r}; choose one of {', '.join(EXECUTORS)}")
