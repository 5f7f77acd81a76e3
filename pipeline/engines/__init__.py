"""Execution engines for batches: local processes (in the runner) or a Dask cluster."""
