"""Design-space sweeps (``neurosim sweep``): a spec file expands to configurations, each is
estimated by the code path of ``neurosim estimate`` on traces captured once per distinct
(network, weights, inputs, bit widths), results go to a resumable SQLite store, and the
Pareto front of the objectives is exported and plotted.

* :mod:`neurosim.sweep.spec`: the spec file (TOML/YAML) and its expansion into rows;
* :mod:`neurosim.sweep.inputs`: the shared inputs (captured traces) of the rows;
* :mod:`neurosim.sweep.evaluate`: one row through the estimator (the only engine call);
* :mod:`neurosim.sweep.store`: ``DIR/results.sqlite`` and the CSV/Parquet export;
* :mod:`neurosim.sweep.executors`: inline, local processes, Dask;
* :mod:`neurosim.sweep.runner`: the sweep itself (resume, progress, accuracy);
* :mod:`neurosim.sweep.pareto`, :mod:`neurosim.sweep.plots`, :mod:`neurosim.sweep.query`.

See ``docs/sweeps.md``.
"""
