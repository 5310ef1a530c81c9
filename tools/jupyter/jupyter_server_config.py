"""The JupyterLab server's settings for this collection (``make setup`` installs this file
into the environment's own Jupyter configuration, ``.venv/etc/jupyter/``).

A stored notebook opens unmodified. The notebooks are stored without the kernel's
Python version (``metadata.language_info.version``), because it differs from machine to
machine. When a kernel starts, JupyterLab writes the version it reports into the
notebook's metadata, and a notebook that was only opened showed as modified. The server
fills in the version of its own Python (the kernel's: the same environment) when it
serves a stored notebook, so JupyterLab finds nothing to change. The file on disk is not
touched until the reader saves.

Plotly's JupyterLab renderer adds a PNG snapshot (``image/png``) to every chart it draws,
so a notebook with charts still shows as modified once its charts are on screen. Saving
leaves that snapshot, and the version filled in above, out of the file: a notebook that
was only read and saved stays as it was stored.
"""

import sys

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager


class OpensUnmodified(AsyncLargeFileManager):
    """Serves notebooks with the kernel's Python version in their metadata."""

    async def get(self, path, content=True, type=None, format=None, **kwargs):
        model = await super().get(path, content=content, type=type, format=format, **kwargs)
        if content and model.get("type") == "notebook" and model.get("content") is not None:
            info = model["content"].get("metadata", {}).get("language_info")
            if isinstance(info, dict) and info.get("name") == "python" and "version" not in info:
                info["version"] = sys.version.split()[0]
        return model

    async def save(self, model, path=""):
        if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
            model = dict(model, content=as_stored(model["content"]))
        return await super().save(model, path)


PLOTLY = "application/vnd.plotly.v1+json"


def as_stored(nb: dict) -> dict:
    """``nb`` without what opening it added: plotly's PNG snapshots of charts, and the
    Python version the server filled in (when it is this server's own)."""
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) or []:
            data = out.get("data")
            if isinstance(data, dict) and PLOTLY in data:
                data.pop("image/png", None)
    info = nb.get("metadata", {}).get("language_info")
    if isinstance(info, dict) and info.get("version") == sys.version.split()[0]:
        del info["version"]
    return nb


c = get_config()  # noqa: F821 - provided by Jupyter when it loads this file
c.ServerApp.contents_manager_class = OpensUnmodified
