"""Files npm installs that the app serves itself (GraphiQL's, the dashboard's): no CDN."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from fastapi import HTTPException
from fastapi.responses import FileResponse


@dataclass(frozen=True)
class InstalledFiles:
    """Only these files, by the name a page asks for, from under a folder a setting names."""

    # What they are, for the operator told to install them.
    what: str
    folder: Callable[[], Path]
    # Each name a page asks for, and the file's path under the folder.
    files: Mapping[str, str]
    # How long a browser keeps one, in seconds.
    max_age: int

    def answer(self, name: str) -> FileResponse:
        """The file of that name: 404 for any other name; 503 when it is not installed."""
        relative = self.files.get(name)
        if relative is None:
            raise HTTPException(status_code=404)
        file = self.folder() / relative
        if not file.is_file():
            raise HTTPException(status_code=503, detail=f"{self.what} not installed: npm ci")
        return FileResponse(file, headers={"Cache-Control": f"public, max-age={self.max_age}"})
