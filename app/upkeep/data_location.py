"""Is the data folder somewhere SQLite's file locking cannot be trusted?

On a network share (NFS, SMB/CIFS, SSHFS, WebDAV …) locks may not reach the other
machines, and a cloud-sync client (Dropbox, OneDrive, Google Drive, iCloud, Box …) copies
the database file while it is being written and may "resolve conflicts" by keeping the
wrong copy. Either can corrupt the records; both are warned about, not refused.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path, PurePath

NETWORK_FILESYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smbfs", "smb2", "smb3", "afs", "9p", "ncpfs", "ceph",
    "glusterfs", "lustre", "davfs", "webdav", "fuse.sshfs", "sshfs", "fuse.davfs2",
    "fuse.glusterfs", "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse", "fuse.cephfs",
})  # fmt: skip
# Folder names the sync clients create (compared without case); macOS puts newer ones
# under ~/Library/CloudStorage and iCloud Drive under ~/Library/Mobile Documents.
CLOUD_FOLDERS = ("dropbox", "onedrive", "google drive", "googledrive", "my drive", "icloud",
                 "icloud drive", "mobile documents", "cloudstorage", "box", "box sync",
                 "pcloud", "pcloud drive", "mega", "nextcloud", "owncloud",
                 "seafile", "tresorit")


def location_warnings(folder: Path, mounts: str | None = None) -> list[str]:
    """Plain-words warnings about where ``folder`` is; [] for a local disk.

    ``mounts`` is the text of /proc/mounts (read from the system when None, on Linux).
    """
    folder = Path(os.path.abspath(folder))
    warnings = []
    network = _network_kind(folder, mounts)
    if network:
        warnings.append(f"The data folder {folder} is on a network share ({network}). "
                        f"SQLite's locking is not reliable there, and records can be "
                        f"corrupted: keep the data folder on this computer's own disk and "
                        f"back up to the share instead.")
    cloud = cloud_folder(folder)
    if cloud:
        warnings.append(f"The data folder {folder} is inside a cloud-synced folder "
                        f"({cloud}). Sync clients copy the database while it is being "
                        f"written and can corrupt it: move the data folder out of it, and "
                        f"use `glabella backup --to` a synced folder instead.")
    return warnings


def cloud_folder(path: PurePath) -> str | None:
    """The first component of ``path`` that names a cloud-sync folder, if any."""
    for part in path.parts:
        name = part.casefold()
        for cloud in CLOUD_FOLDERS:
            # "OneDrive - Contoso", "Dropbox (Personal)", "Google Drive"
            if name == cloud or name.startswith((cloud + " -", cloud + " (")):
                return part
    return None


def _network_kind(folder: Path, mounts: str | None) -> str | None:
    if sys.platform == "win32" and mounts is None:
        return _windows_network_kind(folder)
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:  # macOS and others: only the cloud-folder check applies
            return None
    fs_type = mount_fs_type(folder, mounts)
    return fs_type if fs_type in NETWORK_FILESYSTEMS else None


def mount_fs_type(folder: PurePath, mounts: str) -> str | None:
    """The file-system type of the mount holding ``folder``, from /proc/mounts text."""
    best, best_type = -1, None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        # /proc/mounts writes a space in a mount point as \040
        point = PurePath(fields[1].replace("\\040", " ").replace("\\011", "\t"))
        if (folder == point or point in folder.parents) and len(point.parts) > best:
            best, best_type = len(point.parts), fields[2]
    return best_type


def _windows_network_kind(folder: Path) -> str | None:
    drive = folder.drive
    if drive.startswith("\\\\"):
        return "a UNC path"
    if sys.platform != "win32":  # ctypes.windll exists only there
        return None
    try:
        import ctypes

        if ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == 4:  # DRIVE_REMOTE
            return f"mapped network drive {drive}"
    except (AttributeError, OSError):
        pass
    return None
