"""The registry of models: name -> Autoencoder instance. Every entry is also gradient-checked."""
from manual_ae.models.base import Autoencoder
from manual_ae.models.deep2d import Deep2D
from manual_ae.models.pca import PCAAutoencoder, SeluAutoencoder
from manual_ae.models.stacked import Stacked

MODELS = {m.name: m for m in (PCAAutoencoder(), SeluAutoencoder(), Deep2D(), Stacked())}


def get_model(name):
    """A model by registry name; a clear error listing the choices otherwise."""
    try:
        return MODELS[name]
    except KeyError:
        raise ValueError(f"unknown model {name!r}; choose one of: {', '.join(MODELS)} "
                         "(`manual-ae list` shows them with their posts)") from None
