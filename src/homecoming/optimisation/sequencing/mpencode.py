"""A sparse LP as an OR-Tools MPModelProto, encoded with numpy instead of one Python message per row.

A time-indexed LP has hundreds of thousands of variables and rows; building them message by message costs
seconds of a minute's time limit. The protobuf wire format of MPModelProto is simple (fixed-size doubles,
varint indices), so the bytes are written directly and parsed once by the C++ side.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from ortools.linear_solver import linear_solver_pb2

Bytes = npt.NDArray[np.uint8]
Ints = npt.NDArray[np.int64]


def _varint_size(values: Ints) -> Ints:
    size = np.ones(values.shape, dtype=np.int64)
    for shift in (7, 14, 21, 28, 35):
        size += values >= (1 << shift)
    return size


def _put_varint(buf: Bytes, at: Ints, values: Ints) -> None:
    """Write each value as a varint starting at its position (the caller reserved `_varint_size` bytes)."""
    size = _varint_size(values)
    for k in range(int(size.max(initial=1))):
        here = size > k
        byte = (values[here] >> (7 * k)) & 0x7F
        more = size[here] > k + 1
        buf[at[here] + k] = (byte | (more.astype(np.int64) << 7)).astype(np.uint8)


def _put_doubles(buf: Bytes, at: Ints, values: npt.NDArray[np.float64]) -> None:
    raw = np.ascontiguousarray(values, dtype="<f8").view(np.uint8).reshape(-1, 8)
    buf[(at[:, None] + np.arange(8)).reshape(-1)] = raw.reshape(-1)


def _variables(lower: npt.NDArray[np.float64], upper: npt.NDArray[np.float64], cost: npt.NDArray[np.float64]) -> Bytes:
    """Field 3 (variable) repeated: each 0x1a, 27, then lower (0x09), upper (0x11), cost (0x19) as doubles."""
    n = len(lower)
    buf = np.zeros(29 * n, dtype=np.uint8)
    at = np.arange(n, dtype=np.int64) * 29
    buf[at], buf[at + 1] = 0x1A, 27
    for k, (tag, values) in enumerate(((0x09, lower), (0x11, upper), (0x19, cost))):
        buf[at + 2 + 9 * k] = tag
        _put_doubles(buf, at + 3 + 9 * k, values)
    return buf


def _constraints(
    row: Ints, col: Ints, val: npt.NDArray[np.float64], lower: npt.NDArray[np.float64], upper: npt.NDArray[np.float64]
) -> Bytes:
    """Field 4 (constraint) repeated: bounds (0x11, 0x19), packed var_index (0x32), packed coefficient (0x3a).
    `row` must be sorted."""
    rows = len(lower)
    count = np.bincount(row, minlength=rows).astype(np.int64)
    first = np.concatenate([[0], np.cumsum(count)])
    isize = _varint_size(col)
    icum = np.concatenate([[0], np.cumsum(isize)])
    ibytes = icum[first[1:]] - icum[first[:-1]]
    cbytes = 8 * count
    body = 18 + 1 + _varint_size(ibytes) + ibytes + 1 + _varint_size(cbytes) + cbytes
    total = 1 + _varint_size(body) + body
    start = np.concatenate([[0], np.cumsum(total)])[:-1]
    buf = np.zeros(int(total.sum()), dtype=np.uint8)
    buf[start] = 0x22
    _put_varint(buf, start + 1, body)
    at = start + 1 + _varint_size(body)
    buf[at], buf[at + 9] = 0x11, 0x19
    _put_doubles(buf, at + 1, lower)
    _put_doubles(buf, at + 10, upper)
    at = at + 18
    buf[at] = 0x32
    _put_varint(buf, at + 1, ibytes)
    istart = at + 1 + _varint_size(ibytes)
    _put_varint(buf, istart[row] + icum[:-1] - icum[first[row]], col)
    at = istart + ibytes
    buf[at] = 0x3A
    _put_varint(buf, at + 1, cbytes)
    cstart = at + 1 + _varint_size(cbytes)
    rank = np.arange(len(row), dtype=np.int64) - first[row]
    _put_doubles(buf, cstart[row] + 8 * rank, val)
    return buf


def model_proto(arrays: tuple[npt.NDArray[np.generic], ...], offset: float) -> linear_solver_pb2.MPModelProto:
    """(var_lower, var_upper, cost, row, col, value, lower, upper), rows sorted, as an MPModelProto (minimise)."""
    var_lower, var_upper, cost, row, col, val, lower, upper = arrays
    f8 = np.float64
    model = linear_solver_pb2.MPModelProto()
    data = _variables(var_lower.astype(f8), var_upper.astype(f8), cost.astype(f8)).tobytes()
    data += _constraints(row.astype(np.int64), col.astype(np.int64), val.astype(f8), lower.astype(f8),
                         upper.astype(f8)).tobytes()  # fmt: skip
    model.ParseFromString(data)
    model.objective_offset = offset
    return model
