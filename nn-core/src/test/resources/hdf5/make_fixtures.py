"""Generates the small HDF5 fixtures used by dev.nncore.internal.hdf5 tests.

Run with the Debian h5py (h5py 3.7 / HDF5 1.10.8):  /usr/bin/python3 make_fixtures.py
Every value is deterministic (arange-based) so tests can assert it exactly.
"""
import h5py
import numpy as np

STR = h5py.string_dtype('utf-8')


def common(f, wide=False):
    f.attrs['title'] = 'fixture'                       # scalar variable-length UTF-8 string
    f.attrs['fixed'] = np.bytes_('abc')                # scalar fixed-length string
    f.attrs['names'] = np.array([b'alpha', b'be', b'gamma'])   # 1-D fixed-length strings
    f.attrs['vnames'] = np.array(['x', 'yy', 'zzz'], dtype=object)  # 1-D variable-length strings
    f.attrs['ints'] = np.arange(5, dtype=np.int32)
    f.attrs['empty'] = np.zeros((0,), dtype=np.float64)
    f.attrs['pi'] = np.float64(3.5)
    g = f.create_group('g/sub')
    g.attrs['name'] = 'sub'
    f.create_dataset('g/f32', data=np.arange(12, dtype=np.float32).reshape(3, 4) / 4)
    f.create_dataset('g/f64', data=np.arange(6, dtype=np.float64) - 2.5)
    f.create_dataset('g/i32', data=np.arange(-3, 3, dtype=np.int32))
    f.create_dataset('g/i64', data=np.arange(4, dtype=np.int64) * 10**10)
    f.create_dataset('g/u8', data=np.arange(250, 256, dtype=np.uint8))
    f.create_dataset('g/i8', data=np.arange(-3, 3, dtype=np.int8))
    f.create_dataset('g/u16', data=np.arange(65530, 65536, dtype=np.uint16))
    f.create_dataset('g/f16', data=np.array([0.5, -2.0, 65504.0, 6.1035156e-05], dtype=np.float16))
    f.create_dataset('g/be32', data=np.arange(4, dtype='>f4'))
    f.create_dataset('g/bei32', data=np.arange(4, dtype='>i4') - 1)
    f.create_dataset('g/scalar', data=np.float32(7.25))
    f.create_dataset('g/vstr', data=np.array(['one', 'two', 'three'], dtype=object), dtype=STR)
    f.create_dataset('g/fstr', data=np.array([b'ab', b'cde']))
    # compact layout needs the low-level API
    space = h5py.h5s.create_simple((5,))
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_layout(h5py.h5d.COMPACT)
    dsid = h5py.h5d.create(f.id, b'g/compact', h5py.h5t.NATIVE_FLOAT, space, dcpl=dcpl)
    dsid.write(h5py.h5s.ALL, h5py.h5s.ALL, np.arange(5, dtype=np.float32) + 0.5)
    # chunked: several chunks, deflate + shuffle, a partial edge chunk
    f.create_dataset('g/gzip', data=np.arange(70, dtype=np.float32).reshape(7, 10),
                     chunks=(3, 4), compression='gzip', shuffle=True)
    f.create_dataset('g/fletcher', data=np.arange(20, dtype=np.float64), chunks=(8,), fletcher32=True)
    f.create_dataset('g/chunked_plain', data=np.arange(10, dtype=np.int32), chunks=(4,))
    # unlimited first dimension -> extensible array index (layout v4) under libver latest
    f.create_dataset('g/ext', data=np.arange(24, dtype=np.float32).reshape(12, 2),
                     chunks=(2, 2), maxshape=(None, 2), compression='gzip')
    # two unlimited dimensions -> version-2 B-tree chunk index under libver latest
    f.create_dataset('g/bt2', data=np.arange(16, dtype=np.float32).reshape(4, 4),
                     chunks=(2, 2), maxshape=(None, None))
    # single chunk, filtered
    f.create_dataset('g/single', data=np.arange(6, dtype=np.float32), chunks=(6,), compression='gzip')
    # many attributes on a dataset (dense attribute storage with libver latest)
    d = f['g/f32']
    for i in range(20):
        d.attrs['a%02d' % i] = np.arange(i + 1, dtype=np.float64)
    # many links in one group (dense link storage with libver latest)
    many = f.create_group('many')
    for i in range(40):
        many['d%03d' % i] = f['g/f64']        # hard links keep the file small
    if wide:
        wide = f.create_group('wide')             # enough links for fractal heap indirect blocks
        for i in range(400):
            wide['link%04d' % i] = f['g/f64']
    ordered = f.create_group('ordered', track_order=True)
    for name in ['zeta', 'alpha', 'mid']:
        ordered.create_group(name)
    f['g/soft'] = h5py.SoftLink('/g/f64')
    f['g/dangling'] = h5py.SoftLink('/nowhere')
    f['g/external'] = h5py.ExternalLink('other.h5', '/x')


with h5py.File('h5py_default.h5', 'w') as f:          # superblock 0, old-style groups, layout v3
    common(f)
with h5py.File('h5py_latest.h5', 'w', libver='latest') as f:   # superblock 3, v2 headers, link messages
    common(f, wide=True)
with h5py.File('h5py_v108.h5', 'w', libver='v108') as f:      # superblock 2
    f.attrs['title'] = 'v108'
    f.create_dataset('g/f32', data=np.arange(6, dtype=np.float32))

# a 512-byte user block before the superblock and 4-byte offsets/lengths
fcpl = h5py.h5p.create(h5py.h5p.FILE_CREATE)
fcpl.set_userblock(512)
fcpl.set_sizes(4, 4)
fid = h5py.h5f.create(b'h5py_userblock_small_offsets.h5', h5py.h5f.ACC_TRUNC, fcpl=fcpl)
with h5py.File(fid) as f:
    f.create_dataset('data', data=np.arange(8, dtype=np.float32))
    f.create_dataset('chunks', data=np.arange(300, dtype=np.int64), chunks=(4,))   # multi-level v1 B-tree
    f.attrs['k'] = 64
    f.attrs['s'] = 'small'

# a large old-style group: many symbol table nodes and a two-level B-tree
with h5py.File('h5py_biggroup.h5', 'w') as f:
    big = f.create_group('big')
    target = f.create_dataset('target', data=np.arange(3, dtype=np.float32))
    for i in range(300):
        big['m%03d' % i] = target             # hard links: cheap entries, 2-level B-tree

# soft links that must not hang a reader: a self loop, exponential fan-out, a link back to the root
with h5py.File('h5py_softlink_traps.h5', 'w') as f:
    f['self'] = h5py.SoftLink('/self')
    f.create_group('t')
    f['t/x'] = h5py.SoftLink('/t/x/x')
    f.create_group('up')
    f['up/root'] = h5py.SoftLink('/')
    f['ok'] = np.arange(3, dtype=np.float32)
    f['up/ok'] = h5py.SoftLink('/ok')

# odds and ends: null dataspaces, types nn-core does not decode, a committed (shared) datatype
with h5py.File('h5py_misc.h5', 'w') as f:
    f.attrs['null'] = h5py.Empty('f4')
    f.create_dataset('null', data=h5py.Empty('f8'))
    f['bools'] = np.array([True, False, True])                      # enum of int8
    f['pairs'] = np.array([(1, 2.0)], dtype=[('a', 'i4'), ('b', 'f8')])   # compound
    f['mytype'] = np.dtype('<f8')                                    # committed datatype
    f.create_dataset('typed', data=np.arange(3, dtype='<f8') + 0.5, dtype=f['mytype'])
    f['typed'].attrs.create('shared_type_attr', np.arange(2, dtype='<f8'), dtype=f['mytype'])
