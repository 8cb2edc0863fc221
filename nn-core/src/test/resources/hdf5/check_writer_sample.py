"""Checks that h5py (3.7 / HDF5 1.10.8) reads hdf5writer_sample.h5, written by dev.nncore.internal.hdf5.Hdf5Writer
(content: Hdf5WriterTest.sample()), with identical values, and that the HDF5 library can modify a copy of it.

Run: /usr/bin/python3 check_writer_sample.py
"""
import shutil
import tempfile

import h5py
import numpy as np

with h5py.File('hdf5writer_sample.h5', 'r') as f:
    names = []
    f.visititems(lambda n, o: names.append(n))
    assert len(names) == 51, names
    assert f.attrs['keras_version'] == '3.10.0'
    assert f.attrs['backend'] == 'tensorflow'
    assert f.attrs['model_config'] == '{"class_name": "Sequential", "\u00e9": 1}'
    assert list(f['model_weights'].attrs['layer_names']) == [b'dense', b'activation', b'dense_1']
    assert list(f['model_weights/dense'].attrs['weight_names']) == [b'dense/kernel:0', b'dense/bias:0']
    empty = f['model_weights/activation'].attrs['weight_names']
    assert empty.shape == (0,) and empty.dtype == np.float64
    k = f['model_weights/dense/dense/kernel:0'][()]
    assert k.dtype == np.float32 and (k == np.array([[1, 2, 3], [4, 5, 6.5]], np.float32)).all()
    assert (f['model_weights/dense/dense/bias:0'][()] == np.array([-1, 0, 1], np.float32)).all()
    s = f['model_weights/dense_1/scalar']
    assert s.shape == () and s.dtype == np.float64 and s[()] == 2.5
    assert (f['model_weights/dense_1/cube'][()] == np.arange(8.0).reshape(2, 2, 2)).all()
    assert list(f['model_weights/dense_1/cube'].attrs['ints']) == [-1, 0, 2**63 - 1]
    assert f['model_weights/dense_1/cube'].attrs['floats'].dtype == np.float32
    assert f['model_weights/dense_1'].attrs['fixed'] == b'fixed-value'
    assert f['model_weights/dense_1'].attrs['empty'] == ''
    assert f['empty'].shape == (0, 3)
    assert len(f['many']) == 40 and all(f['many/m%d' % i][0] == i for i in range(40))

with tempfile.TemporaryDirectory() as d:
    copy = d + '/copy.h5'
    shutil.copy('hdf5writer_sample.h5', copy)
    with h5py.File(copy, 'a') as f:      # the library inserts into our B-trees and heaps
        for i in range(40, 400):
            f['many/m%d' % i] = np.float32([i])
        f['model_weights'].attrs['added'] = 'x'
    with h5py.File(copy, 'r') as f:
        assert len(f['many']) == 400 and f['many/m7'][0] == 7 and f['model_weights'].attrs['added'] == 'x'
print('OK: h5py reads hdf5writer_sample.h5 with the expected values and can modify it')
