"""Is a database inside a folder that a file-sync service copies?

OneDrive, Dropbox, Google Drive, iCloud and their like upload a file as soon as it changes. A
SQLite database is several files changing together mid-write (the .sqlite, its -wal and -shm):
a copy taken between them is damaged, and two computers syncing one file overwrite each other.
The folder is recognised by the markers these services leave in the path, or beside it.
"""

from __future__ import annotations

from pathlib import Path, PurePath

__all__ = ["sync_service_for", "sync_warning"]


# A folder name (compared without case) that a sync service creates, and the service's name.
_FOLDER_MARKERS = (
    ("onedrive", "OneDrive"), ("dropbox", "Dropbox"), ("google drive", "Google Drive"),
    ("googledrive", "Google Drive"), ("my drive", "Google Drive"), ("icloud drive", "iCloud Drive"),
    ("icloud~", "iCloud Drive"), ("mobile documents", "iCloud Drive"), ("box sync", "Box"), ("box", "Box"),
    ("nextcloud", "Nextcloud"), ("owncloud", "ownCloud"), ("pcloud drive", "pCloud"),
    ("sync.com", "Sync.com"), ("syncthing", "Syncthing"),
)
_PREFIX_MARKERS = (("onedrive - ", "OneDrive"), ("onedrive-", "OneDrive"), ("dropbox (", "Dropbox"))
# Files a service keeps at the top of the folders it syncs.
_FILE_MARKERS = ((".dropbox", "Dropbox"), (".dropbox.cache", "Dropbox"), (".stfolder", "Syncthing"),
                 (".sync", "Resilio Sync"), ("desktop.ini", ""))


def sync_service_for(path: PurePath, *, look_on_disk: bool = True) -> str | None:
    """The name of the sync service whose folder holds `path`, or None."""
    parts = list(PurePath(path).parts[:-1])
    for part in parts:
        folded = part.casefold()
        if folded.startswith("cloudstorage") or folded == "cloudstorage":
            return "a cloud storage provider"
        for marker, service in _PREFIX_MARKERS:
            if folded.startswith(marker):
                return service
        for marker, service in _FOLDER_MARKERS:
            if folded == marker or folded.startswith(marker + " ("):
                return service
    if look_on_disk:
        folder = Path(path).parent
        for candidate in [folder, *folder.parents][:12]:
            for marker, service in _FILE_MARKERS:
                if service and (candidate / marker).exists():
                    return service
    return None


def sync_warning(path: Path) -> str | None:
    """One sentence for a database in a synced folder, or None."""
    service = sync_service_for(Path(path).expanduser().absolute())
    if service is None:
        return None
    return (f"{path} is in a folder that {service} synchronises; a sync service can copy a database half-way "
            "through a change and damage it. Keep the database in a folder that is not synchronised (backups "
            "and exported workbooks can go in the synced folder)")
