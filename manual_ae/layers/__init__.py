"""Layers with hand-written gradients, one module per family, each forward above its backward."""
from manual_ae.layers.activations import (ACTIVATIONS, activation, atan_backward, atan_forward, elu_backward,
                                          elu_forward, identity_backward, identity_forward, relu_backward,
                                          relu_forward, selu_backward, selu_forward, sigmoid_backward, sigmoid_forward,
                                          softsign_backward, softsign_forward, tanh_backward, tanh_forward)
from manual_ae.layers.dense import dense_backward, dense_forward, tied_dense_backward, tied_dense_forward
from manual_ae.layers.losses import (bce_backward, bce_forward, mse_backward, mse_forward, rounded_accuracy,
                                     sigmoid_bce_backward, sigmoid_bce_forward)
from manual_ae.layers.sandwich import (dense_act_backward, dense_act_forward, tied_dense_act_backward,
                                       tied_dense_act_forward)
