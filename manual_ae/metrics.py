"""Numbers computed from a trained model's outputs (NumPy)."""
import numpy as np


def knn_accuracy(train_codes, train_labels, test_codes, test_labels, k=5, chunk=500):
    """Accuracy of a k-nearest-neighbour vote (Euclidean) of test codes among train codes."""
    train_codes = np.asarray(train_codes, np.float64)
    sq_train = (train_codes ** 2).sum(1)
    correct = 0
    for lo in range(0, len(test_codes), chunk):
        q = np.asarray(test_codes[lo:lo + chunk], np.float64)
        d2 = (q ** 2).sum(1)[:, None] - 2 * q @ train_codes.T + sq_train[None, :]
        nearest = np.argpartition(d2, k, axis=1)[:, :k]
        votes = train_labels[nearest]
        pred = np.array([np.bincount(v).argmax() for v in votes])
        correct += int((pred == test_labels[lo:lo + chunk]).sum())
    return correct / len(test_codes)


def pca_reconstruction(x, k):
    """Best rank-k reconstruction of mean-centred rows x (PCA) and its top-k principal directions."""
    mean = x.mean(axis=0)
    _, _, vt = np.linalg.svd(x - mean, full_matrices=False)
    basis = vt[:k]                              # (k, D), orthonormal rows
    recon = (x - mean) @ basis.T @ basis + mean
    return recon, basis


def subspace_angle_degrees(a, b):
    """Largest principal angle between the row spaces of a (k, D) and b (k, D), in degrees."""
    qa, _ = np.linalg.qr(np.asarray(a, np.float64).T)
    qb, _ = np.linalg.qr(np.asarray(b, np.float64).T)
    cosines = np.linalg.svd(qa.T @ qb, compute_uv=False)
    return float(np.degrees(np.arccos(np.clip(cosines.min(), -1.0, 1.0))))
