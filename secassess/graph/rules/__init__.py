"""One module per kind of graph finding; each `run(graph, policy)` returns its facts and findings."""

from __future__ import annotations

from typing import Any

from secassess.graph.findings import Finding

Facts = dict[str, dict[str, Any]]
"""Entity name -> {"graph.<fact>": value}."""

Output = tuple[Facts, list[Finding]]
