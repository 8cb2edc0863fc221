"""Writes .npy files with hand-made headers for dev.nncore.keras.HostileFormatsTest, and prints what numpy 1.24
(Debian python3-numpy) reads from each: the tests expect nn-core to read the same values or refuse the same files.

Run:  /usr/bin/python3 make_npy.py
"""
import struct

import numpy as np


def npy(name, header, data):
    header = header + ' ' * ((64 - (10 + len(header) + 1) % 64) % 64) + '\n'
    with open(name, 'wb') as f:
        f.write(b'\x93NUMPY\x01\x00' + struct.pack('<H', len(header)) + header.encode('latin1') + data)
    try:
        a = np.load(name)
        print(name, 'numpy reads', a.dtype, a.shape, a.ravel().tolist())
    except Exception as e:  # noqa: BLE001 - we print numpy's verdict, whatever it is
        print(name, 'numpy refuses:', type(e).__name__, e)


eight_doubles = struct.pack('<2d', 1.5, -2.25)  # also four float32 values
# a key given twice: Python keeps the last value, so numpy reads f8 of shape (2, 1), not f4 (4, 1)
npy('npy_duplicate_keys.npy', "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 1), 'descr': '<f8', 'shape': (2, 1), }",
    eight_doubles)
# double quotes, no trailing comma, other spacing: still a Python dict
npy('npy_double_quotes.npy', '{"descr":"<f8","fortran_order":False,"shape":(2,)}', eight_doubles)
# headers numpy refuses
npy('npy_extra_key.npy', "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'extra': 1, }", eight_doubles)
npy('npy_shape_not_tuple.npy', "{'descr': '<f8', 'fortran_order': False, 'shape': (2), }", eight_doubles)
npy('npy_missing_key.npy', "{'descr': '<f8', 'shape': (2,), }", eight_doubles)
npy('npy_not_python.npy', "{'descr': '<f8', 'fortran_order': false, 'shape': (2,), }", eight_doubles)
npy('npy_shape_in_a_comment.npy', "{'descr': '<f8', 'fortran_order': False, 'shape': (2,)} # 'shape': (4, 1)", eight_doubles)
