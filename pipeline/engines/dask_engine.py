"""Run the same batch stages on a Dask distributed cluster.

Each worker process builds one :class:`~pipeline.runner.BatchProcessor` (the
model is loaded once per worker) on its first batch and keeps it. Results come
back to the client, which writes the crash-safe parts exactly as the local
engine does, so the tables are the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pipeline.settings import Settings

_PROCESSORS: dict[str, object] = {}


def process_batch(batch, settings: Settings) -> tuple[int, dict[str, list[dict]], dict[str, float]]:
    """Runs on a worker: the processor for these settings is created once per worker process."""
    from pipeline.runner import BatchProcessor

    key = settings.fingerprint()
    processor = _PROCESSORS.get(key)
    if processor is None:
        processor = _PROCESSORS[key] = BatchProcessor(settings)
    return batch.number, processor.process(batch), processor.timings.take()


def run_dask(
    batches: Iterable,
    settings: Settings,
    scheduler: str | None,
    workers: int,
    on_result: Callable[[int, dict, dict[str, float]], None],
) -> None:
    """Submit batches (at most two per worker in flight) and hand each result to ``on_result``."""
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        n_workers = max(len(client.scheduler_info().get("workers", {})), 1)
        settings_future = client.scatter(settings, broadcast=True)
        pending = as_completed()
        in_flight = 0
        for batch in batches:
            pending.add(client.submit(process_batch, batch, settings_future, pure=False))
            in_flight += 1
            while in_flight >= 2 * n_workers:
                on_result(*next(pending).result())
                in_flight -= 1
        for future in pending:
            on_result(*future.result())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
