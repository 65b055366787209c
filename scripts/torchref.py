"""Helpers the PyTorch reference scripts share: MNIST-style IDX files as tensors, and safetensors files written and read
without the safetensors package (Debian has none), laid out as safetensors.torch.save_file lays them out: an 8-byte
little-endian header length, a JSON header padded with spaces to a multiple of 8, then the tensors' bytes."""
import gzip, json, os, struct

import numpy as np
import torch

DTYPES = {torch.float32: ("F32", "<f4"), torch.float64: ("F64", "<f8"), torch.int64: ("I64", "<i8")}
NUMPY = {name: numpy_type for name, numpy_type in DTYPES.values()}


def read_idx(path):
    """The array in an IDX file (raw or gzipped)."""
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = struct.unpack(">" + "i" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load_set(directory, prefix, image_shape=(-1, 784)):
    """Images (pixels / 255, float32, reshaped to image_shape) and int64 labels of the train or t10k set in directory."""
    find = lambda kind: os.path.join(directory, next(f for f in sorted(os.listdir(directory)) if f.startswith(f"{prefix}-{kind}")))
    images = torch.tensor(read_idx(find("images")).reshape(image_shape) / 255.0, dtype=torch.float32)
    labels = torch.tensor(read_idx(find("labels")).astype(np.int64))
    return images, labels


def save_safetensors(path, tensors, metadata=None):
    """Writes tensors (name -> float32, float64 or int64 tensor) as safetensors, with __metadata__ only when given."""
    header, offset, blobs = {}, 0, []
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        dtype, numpy_type = DTYPES[t.dtype]
        blob = t.detach().contiguous().numpy().astype(numpy_type).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def load_safetensors(path):
    """The tensors of a safetensors file (F32, F64, I64), without its metadata."""
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    return {k: torch.tensor(np.frombuffer(data[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]], dtype=NUMPY[v["dtype"]]).reshape(v["shape"]))
            for k, v in header.items()}
