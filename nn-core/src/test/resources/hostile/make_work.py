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
large = len(sys.argv) > 2 and sys.argv[2] == 'large'  # also the ~1 GB file (about 70 s to write)
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

# One more link than nn-core reads in one file (FileContext.DEFAULT_MAX_LINKS): the most link work a file can cause.
with h5py.File(out + '/links_capped.h5', 'w', libver='earliest') as f:
    target = f.create_dataset('target', data=np.zeros(1, dtype='<f4'))
    for i in range(262_144):
        f['l%d' % i] = target

# With "large": 18 such kernels in one file of 1.03 GB, just under the 1 GiB file limit: the most chunk-index work a
# file can ask for at the default limits.
if large:
    with h5py.File(out + '/chunks_btree_18.weights.h5', 'w', libver='earliest') as f:
        for i in range(18):
            v = f.create_group('layers/dense' + ('' if i == 0 else '_%d' % i) + '/vars')
            v.create_dataset('0', data=kernel, chunks=(1, 1))
            v.create_dataset('1', data=bias)
        f.create_group('vars')
