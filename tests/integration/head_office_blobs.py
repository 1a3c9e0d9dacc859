"""Head office's photos as the integration tests read them: the database names each blob, the
bytes are a file in the blob folder the database records (sync/server/blob_store.h)."""
import hashlib
import os
import sqlite3


def blob_folder(db_path):
    row = sqlite3.connect(db_path).execute(
        "SELECT value FROM server_settings WHERE key = 'blob_folder'").fetchone()
    assert row, f"{db_path} records no blob folder"
    return row[0]


def blob_bytes(db_path, sha):
    with open(os.path.join(blob_folder(db_path), sha[:2], sha[2:4], sha), "rb") as f:
        return f.read()


def check_every_blob(db_path):
    """Every blob the database names is a file whose sha256 is its name; returns how many."""
    names = [r[0] for r in sqlite3.connect(db_path).execute("SELECT sha256 FROM blobs")]
    for sha in names:
        actual = hashlib.sha256(blob_bytes(db_path, sha)).hexdigest()
        assert actual == sha, f"blob {sha} damaged at head office (its bytes hash to {actual})"
    return len(names)
