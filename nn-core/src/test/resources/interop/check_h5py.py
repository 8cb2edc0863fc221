# Opens nn-core's model.keras with h5py, recomputes the forward pass in float64 numpy and compares with nn-core.
import h5py, numpy as np, json, zipfile, io, sys
z = zipfile.ZipFile(sys.argv[1] if len(sys.argv) > 1 else 'model.keras')
h = h5py.File(io.BytesIO(z.read('model.weights.h5')), 'r')
cfg = json.loads(z.read('config.json'))
acts = [l['config']['activation'] for l in cfg['config']['layers'] if l['class_name'] == 'Dense']
f = {'relu': lambda z: np.maximum(z, 0), 'tanh': np.tanh,
     'softmax': lambda z: np.exp(z - z.max(1, keepdims=True)) / np.exp(z - z.max(1, keepdims=True)).sum(1, keepdims=True)}
x = np.array([[1, -2, 0.5], [0, 0, 0], [3, 1, -1]], np.float64)
for i, a in enumerate(acts):
    k = 'dense' if i == 0 else 'dense_%d' % i
    x = f[a](x @ h['layers/%s/vars/0' % k][()].astype(np.float64) + h['layers/%s/vars/1' % k][()])
print('max |numpy - nn-core| =', np.abs(x - np.array(json.load(open('nncore-output.json')))).max())
