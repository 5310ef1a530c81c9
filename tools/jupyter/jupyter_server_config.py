"""The JupyterLab server's settings for this collection (``make setup`` installs this file
into the environment's own Jupyter configuration, ``.venv/etc/jupyter/``).

A stored notebook opens unmodified. The notebooks are stored without the kernel's
Python version (``metadata.language_info.version``), because it differs from machine to
machine. When a kernel starts, JupyterLab writes the version it reports into the
notebook's metadata, and a notebook that was only opened showed as modified. The server
fills in the version of its own Python (the kernel's: the same environment) when it
serves a stored notebook, so JupyterLab finds nothing to change. The file on disk is not
touched until the reader saves.
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


c = get_config()  # noqa: F821 - provided by Jupyter when it loads this file
c.ServerApp.contents_manager_class = OpensUnmodified
