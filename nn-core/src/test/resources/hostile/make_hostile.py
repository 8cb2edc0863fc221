"""Generates the hostile-but-valid HDF5 files of dev.nncore.keras.HostileFormatsTest (issue 16).

Run with the Debian h5py (h5py 3.7 / HDF5 1.10.8):  /usr/bin/python3 make_hostile.py
Prints what h5py itself reads from each dataset, which the tests expect nn-core to read too.
"""
import gzip
import os
import shutil

import h5py
import numpy as np

# 1. Unwritten chunks and fill values (libver='latest': layout v4, fixed-array chunk indexes, paged past 1024 chunks)
with h5py.File('h5py_unwritten_chunks.h5', 'w', libver='latest') as f:
    # 4096 chunks of one float: a paged fixed array; only pages 0 and 2 are ever written
    d = f.create_dataset('paged_zero_fill', shape=(4096,), chunks=(1,), dtype='<f4')
    d[0:3] = [1, 2, 3]
    d[2500] = 7
    d = f.create_dataset('paged_fill', shape=(4096,), chunks=(1,), dtype='<f4', fillvalue=2.5)
    d[0:3] = [1, 2, 3]
    d[2500] = 7
    # a few chunks, unpaged, with a fill value
    d = f.create_dataset('chunked_fill', shape=(4, 4), chunks=(2, 2), dtype='<f4', fillvalue=-1.5)
    d[0:2, 0:2] = [[1, 2], [3, 4]]
    # never written at all
    f.create_dataset('contiguous_fill', shape=(3,), dtype='<f8', fillvalue=0.25)
    f.create_dataset('contiguous_zero', shape=(3,), dtype='<f4')

# 1b. The same with the default (earliest) format: layout v3, v1 B-tree chunk index, old fill value message
with h5py.File('h5py_unwritten_chunks_v1btree.h5', 'w') as f:
    d = f.create_dataset('chunked_fill', shape=(4, 4), chunks=(2, 2), dtype='<f4', fillvalue=-1.5)
    d[0:2, 0:2] = [[1, 2], [3, 4]]
    f.create_dataset('contiguous_fill', shape=(3,), dtype='<f8', fillvalue=0.25)

# 2. 1,100,000 chunks of one byte: over the chunk limit; only the first chunk is written (gzip: 8.8 MB of index)
with h5py.File('h5py_million_chunks.h5', 'w', libver='latest') as f:
    d = f.create_dataset('tiny', shape=(1_100_000,), chunks=(1,), dtype='u1')
    d[0] = 1
with open('h5py_million_chunks.h5', 'rb') as src, gzip.open('h5py_million_chunks.h5.gz', 'wb', 9) as dst:
    shutil.copyfileobj(src, dst)
os.remove('h5py_million_chunks.h5')

for name in ['h5py_unwritten_chunks.h5', 'h5py_unwritten_chunks_v1btree.h5']:
    with h5py.File(name, 'r') as f:
        for key in f:
            v = f[key][()]
            print(name, key, v.ravel()[:4].tolist(), v.ravel()[2498:2502].tolist() if v.size > 2500 else '',
                  'fill', f[key].fillvalue)

# 3. A Keras 3 .weights.h5 with a 512-byte user block (what h5py writes with userblock_size=512)
with h5py.File('h5py_userblock.weights.h5', 'w', userblock_size=512) as f:
    v = f.create_group('layers/dense/vars')
    v.create_dataset('0', data=np.array([[1, 2], [3, 4], [5, 6]], dtype='<f4'))  # kernel [in=3][units=2]
    v.create_dataset('1', data=np.array([0.5, -0.5], dtype='<f4'))
    f.create_group('vars')
with open('h5py_userblock.weights.h5', 'r+b') as f:
    f.write(b'nn-core user block: any bytes may sit here')

# 4. A Keras 3 .weights.h5 whose 2048 x 8192 float32 kernel (64 MiB of zeros) is deflated to a few KB
with h5py.File('h5py_deflated_kernel.weights.h5', 'w') as f:
    v = f.create_group('layers/dense/vars')
    v.create_dataset('0', data=np.zeros((2048, 8192), dtype='<f4'), compression='gzip', compression_opts=9)
    v.create_dataset('1', data=np.zeros(8192, dtype='<f4'))
    f.create_group('vars')
