"""The registry of models: name -> Autoencoder instance. Every entry is also gradient-checked.

PIPELINES are trainable names made of several models trained in turn (their models are in MODELS).
"""
from manual_ae.models.base import Autoencoder, ImageAutoencoder
from manual_ae.models.conv import ConvAE
from manual_ae.models.deep2d import Deep2D
from manual_ae.models.deemoji import DeEmoji
from manual_ae.models.eigen import EIGEN_CASES
from manual_ae.models.latent3d import LATENT3D_CASES
from manual_ae.models.denoising import DenoisingDropout, DenoisingGaussian
from manual_ae.models.greedy import Greedy, GreedyAE1, GreedyAE2
from manual_ae.models.pca import PCAAutoencoder, SeluAutoencoder
from manual_ae.models.recurrent import RecurrentAE
from manual_ae.models.sparse import SparseKL, SparseL1
from manual_ae.models.stacked import Stacked
from manual_ae.models.tied import Tied
from manual_ae.models.vae import VAE

MODELS = {m.name: m for m in (PCAAutoencoder(), SeluAutoencoder(), Deep2D(), Stacked(), Tied(), GreedyAE1(),
                              GreedyAE2(), ConvAE(), RecurrentAE(), DenoisingGaussian(), DenoisingDropout(),
                              SparseL1(), SparseKL(), VAE()) + EIGEN_CASES + LATENT3D_CASES + (DeEmoji(),)}
PIPELINES = {p.name: p for p in (Greedy(),)}


def get_model(name, **options):
    """A model by registry name, configured with `options`; a clear error listing the choices otherwise."""
    try:
        return MODELS[name].configured(**options) if options else MODELS[name]
    except KeyError:
        raise ValueError(f"unknown model {name!r}; choose one of: {', '.join(list(MODELS) + list(PIPELINES))} "
                         "(`manual-ae list` shows them with their posts)") from None
