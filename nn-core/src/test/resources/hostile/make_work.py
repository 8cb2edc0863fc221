"""Writes the HDF5 files at the caps that SECURITY.md's statement of the largest work is measured with (issue 16).

Run with the Debian h5py (h5py 3.7 / HDF5 1.10.8):  /usr/bin/python3 make_work.py DIR
then (from nn-core, after mvn test-compile):
    java -Xmx3g -cp target/classes:target/test-classes dev.nncore.keras.WorkProbe DIR
The files are large (tens of MB) and not kept in the repository.
"""
import sys

import h5py
import numpy as np

out = sys.argv[1]
kernel = np.arange(1024 * 1024, dtype='<f4').reshape(1024, 1024) / (1024 * 1024)
bias = np.zeros(1024, dtype='<f4')

# A Keras 3 .weights.h5 of one 1024 x 1024 Dense kernel cut into 1,048,576 chunks of one value: the most chunks one
# dataset may have (ChunkedData.MAX_CHUNKS), every one written, in each chunk index HDF5 has
for name, libver in [('chunks_btree.weights.h5', 'earliest'), ('chunks_fixed_array.weights.h5', 'latest')]:
    with h5py.File(out + '/' + name, 'w', libver=libver) as f:
        v = f.create_group('layers/dense/vars')
        v.create_dataset('0', data=kernel, chunks=(1, 1))
        v.create_dataset('1', data=bias)
        f.create_group('vars')
