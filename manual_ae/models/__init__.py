"""The architectures: options, weights, forward, backward, metrics. Which post uses which model,
with which options, data and hyperparameters, is declared in manual_ae/posts/."""
from manual_ae.models.base import Model, ImageModel, parse_options, show_option
from manual_ae.models.conv import ConvAE
from manual_ae.models.conv_latent import ConvLatentAE
from manual_ae.models.conv_vae import ConvVAE
from manual_ae.models.cppn import CPPN
from manual_ae.models.deemoji import DeEmoji
from manual_ae.models.deep2d import Deep2D
from manual_ae.models.digit_vae import DigitVAE
from manual_ae.models.elu_stacked import EluStacked
from manual_ae.models.recurrent import RecurrentAE
from manual_ae.models.shallow import ShallowAE
from manual_ae.models.sparse import Sparse
from manual_ae.models.stacked import Stacked
from manual_ae.models.tied import Tied
from manual_ae.models.vae import VAE

ARCHITECTURES = (ShallowAE, Deep2D, Stacked, Tied, ConvAE, RecurrentAE, Sparse, VAE, ConvLatentAE, ConvVAE, DeEmoji,
                 CPPN, EluStacked, DigitVAE)
