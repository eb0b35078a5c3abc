"""Reading IDX files (the MNIST/Fashion-MNIST format), gzip or raw, with validation.

An IDX file is: two zero bytes, a type code (0x08 = unsigned byte), the number of dimensions,
one big-endian int32 per dimension, then the data. Anything else is an error naming the file.
"""
import gzip
import os

import numpy as np

from manual_ae.errors import DataError  # noqa: F401  (raised here; mapped to exit 2)


def read_idx(path):
    """The array stored in an IDX file (uint8), checked against its own header."""
    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError) as err:  # gzip raises these on a corrupt or truncated stream
        raise DataError(f"{path}: cannot read it ({err}). The file is corrupt or truncated; "
                        f"delete it and fetch it again.") from err
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0:
        raise DataError(f"{path}: not an IDX file (bad magic number {raw[:4].hex() or 'empty'}). "
                        "Delete it and fetch it again.")
    if raw[2] != 0x08:
        raise DataError(f"{path}: IDX type code 0x{raw[2]:02x}, expected 0x08 (unsigned bytes).")
    ndim = raw[3]
    header = 4 + 4 * ndim
    if ndim == 0 or len(raw) < header:
        raise DataError(f"{path}: IDX header is truncated.")
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    expected = int(np.prod(shape))
    if len(raw) - header != expected:
        raise DataError(f"{path}: header says shape {shape} ({expected} bytes of data) but the file has "
                        f"{len(raw) - header}. The file is truncated or corrupt; delete it and fetch it again.")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


def find_idx(directory, stem):
    """`directory/stem` or `directory/stem.gz`, whichever exists, else None."""
    for name in (stem, stem + ".gz"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            return path
    return None
