# Float64 numpy forward passes of the Keras fixtures' weights, read with h5py: an oracle independent of nn-core.
# Run from a directory where each .keras fixture is unzipped into a folder named after it (see README.md).
import h5py, numpy as np, json, os
R = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'keras-models') + '/'
X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
def act(name, z):
    if name == 'softmax':
        e = np.exp(z - z.max(1, keepdims=True)); return e / e.sum(1, keepdims=True)
    return {'linear': lambda z: z, 'relu': lambda z: np.maximum(z, 0), 'sigmoid': lambda z: 1 / (1 + np.exp(-z)), 'tanh': np.tanh}[name](z)
def fwd(layers, x):
    for k, b, a in layers:
        x = act(a, x @ k.astype(np.float64) + b.astype(np.float64))
    return x
def case(layers, x):
    return dict(x=x.tolist(), output=fwd(layers, x).tolist(), weights=[w.tolist() for l in layers for w in l[:2]])
out = {}
mw = h5py.File(R + 'keras2.2.4_xor_full_kishikishi-kishio.h5', 'r')['model_weights']
out['keras2.2.4_xor_full_kishikishi-kishio.h5'] = case([(mw['dense_1/dense_1/kernel:0'][()], mw['dense_1/dense_1/bias:0'][()], 'sigmoid'), (mw['dense_2/dense_2/kernel:0'][()], mw['dense_2/dense_2/bias:0'][()], 'sigmoid')], X)
h = h5py.File(R + 'keras2.2.4-tf_xor_saveweights_kdalkafoukis.h5', 'r')
out['keras2.2.4-tf_xor_saveweights_kdalkafoukis.h5'] = case([(h['dense/sequential/dense/kernel:0'][()], h['dense/sequential/dense/bias:0'][()], 'sigmoid'), (h['dense_1/sequential/dense_1/kernel:0'][()], h['dense_1/sequential/dense_1/bias:0'][()], 'sigmoid')], X)
mw = h5py.File(R + 'keras3.6.0_xor_legacyh5_ArnavKhurana22.h5', 'r')['model_weights']
out['keras3.6.0_xor_legacyh5_ArnavKhurana22.h5'] = case([(mw['dense/sequential/dense/kernel'][()], mw['dense/sequential/dense/bias'][()], 'relu'), (mw['dense_1/sequential/dense_1/kernel'][()], mw['dense_1/sequential/dense_1/bias'][()], 'sigmoid')], X)
h = h5py.File('keras3.10.0_xor_mehmetsefabalik/model.weights.h5', 'r')
out['keras3.10.0_xor_mehmetsefabalik.keras'] = case([(h['layers/dense/vars/0'][()], h['layers/dense/vars/1'][()], 'tanh'), (h['layers/dense_1/vars/0'][()], h['layers/dense_1/vars/1'][()], 'sigmoid')], X)
h = h5py.File('keras2.13.1_iris_untrained_tyza66/model.weights.h5', 'r')
Xi = np.array([[5.1, 3.5, 1.4, 0.2], [6.2, 2.9, 4.3, 1.3], [7.7, 3.0, 6.1, 2.3]], dtype=np.float32).astype(np.float64)
d = '_layer_checkpoint_dependencies/'
out['keras2.13.1_iris_untrained_tyza66.keras'] = case([(h[d + 'dense/vars/0'][()], h[d + 'dense/vars/1'][()], 'relu'), (h[d + 'dense_2/vars/0'][()], h[d + 'dense_2/vars/1'][()], 'softmax')], Xi)
j = json.load(open(R + 'tfjs_node4.5.0_xor_MartinTintin3/model.json'))
raw = np.frombuffer(open(R + 'tfjs_node4.5.0_xor_MartinTintin3/weights.bin', 'rb').read(), dtype='<f4')
ws, o = [], 0
for w in j['weightsManifest'][0]['weights']:
    n = int(np.prod(w['shape'])); ws.append(raw[o:o + n].reshape(w['shape'])); o += n
out['tfjs_node4.5.0_xor_MartinTintin3/model.json'] = case([(ws[0], ws[1], 'sigmoid'), (ws[2], ws[3], 'sigmoid')], X)
json.dump(dict(description="numpy 1.24 float64 forward passes of the weights as h5py 3.7 (and numpy.frombuffer for TF.js) read them, independently of nn-core; made by make_numpy_outputs.py", cases=out),
          open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'numpy-outputs.json'), 'w'), indent=1)
