"""A parser for the index's worker-process tests, in a module a worker imports cheaply
(``tests.conftest`` would import pytest into every worker)."""

from __future__ import annotations

import os
from pathlib import Path

from facilitator.store import parse_for_index


def parse_in_one_kind_of_process(parent_pid: int, worker_dies: bool, path: Path, stem: str):
    """The store's parser for ``index.parsed_rows`` tests. ``worker_dies``: a worker process
    dies on its first file (the index must parse the rest itself); else the parent
    (``parent_pid``) may not parse at all (proof that the workers did)."""
    in_worker = os.getpid() != parent_pid
    if in_worker and worker_dies:
        os._exit(3)
    if not in_worker and not worker_dies:
        raise AssertionError(f"{path.name} parsed in the parent process")
    return parse_for_index(path, stem)
