"""Keep ``serve`` watching a folder that is deleted and created again.

A file-system watch dies with its folder: after ``rm -rf specs && mkdir specs``
the server would never rebuild again. A non-recursive watch on the parent sees
the folder come back, renews the server's watch on it and asks for a rebuild.
Works on any server with MkDocs' ``watch(path)`` / ``unwatch(path)`` and a
watchdog ``observer`` (MkDocs 1.6 and ProperDocs); no MkDocs import here.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler

log = logging.getLogger("specsite")


class _Renew(FileSystemEventHandler):
    def __init__(self, server: Any, folder: Path) -> None:
        self.server = server
        self.folder = str(folder)  # already absolute: the config resolves it

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = {os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or "")}
        if self.folder not in paths:
            return
        try:
            self.server.unwatch(self.folder)
        except (KeyError, ValueError):  # it was not watched (did not exist at start)
            pass
        except Exception as error:  # a watch that cannot be removed is harmless
            log.debug("specsite: could not unwatch %s: %s", self.folder, error)
        if Path(self.folder).is_dir():
            self.server.watch(self.folder)
        _request_rebuild(self.server)


def _request_rebuild(server: Any) -> None:
    """What the server's own file callback does when a watched file changes."""
    condition = getattr(server, "_rebuild_cond", None)
    if condition is None:
        return
    with condition:
        server._want_rebuild = True
        condition.notify_all()


def rewatch_when_recreated(server: Any, folder: Path) -> None:
    """Watch the parent of ``folder`` (absolute), not recursively, for the folder coming back."""
    parent = folder.parent
    observer = getattr(server, "observer", None)
    if observer is None or not parent.is_dir():
        return
    observer.schedule(_Renew(server, folder), str(parent), recursive=False)
