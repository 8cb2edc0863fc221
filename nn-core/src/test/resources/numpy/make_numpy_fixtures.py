# Weights files written by numpy itself, for Keras.loadWeights tests: the video's XOR network
# (kernel [in][out], bias 1-D, Keras get_weights() order) in the layouts numpy users produce.
import numpy as np
w = [np.array([[1.3, 1.2], [1.3, 1.2]], np.float32), np.array([-1.3, 0], np.float32),
     np.array([[-1.6], [0.8]], np.float32), np.array([0], np.float32)]
np.savez('xor_savez.npz', *w)                                   # arr_0 .. arr_3, stored
np.savez_compressed('xor_savez_compressed.npz', *w)              # deflated entries
np.savez('xor_float64_fortran.npz', *[np.asfortranarray(a.astype(np.float64)) for a in w])
np.savez('xor_big_endian.npz', *[a.astype('>f4') for a in w])
with open('xor_sequence.npy', 'wb') as f:                        # np.save called once per array
    for a in w:
        np.save(f, a)
np.save('xor_object_array.npy', np.array(w, dtype=object), allow_pickle=True)  # refused: needs pickle
