"""Execute notebooks headless with nbclient on the gospark kernel and print
their outputs as JSON: [{"notebook": path, "cells": [{"source", "outputs"}]}].

A cell that fails stops the run with CellExecutionError and a non-zero exit.
"""

import json
import os
import sys

import nbformat
from nbclient import NotebookClient


def main(paths):
    report = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb,
            kernel_name="gospark",
            timeout=600,
            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
        )
        client.execute()
        cells = [
            {"source": c.source, "outputs": c.get("outputs", [])}
            for c in nb.cells
            if c.cell_type == "code"
        ]
        report.append({"notebook": path, "cells": cells})
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
