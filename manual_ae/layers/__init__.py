"""Layers with hand-written gradients, one module per family, each forward above its backward."""
from manual_ae.layers.activations import (ACTIVATIONS, activation, atan_backward, atan_forward, elu_backward,
                                          elu_forward, identity_backward, identity_forward, relu_backward,
                                          relu_forward, selu_backward, selu_forward, sigmoid_backward, sigmoid_forward,
                                          softsign_backward, softsign_forward, tanh_backward, tanh_forward)
from manual_ae.layers.dense import dense_backward, dense_forward, tied_dense_backward, tied_dense_forward
from manual_ae.layers.losses import (bce_backward, bce_forward, mse_backward, mse_forward, rounded_accuracy,
                                     sigmoid_bce_backward, sigmoid_bce_forward)
from manual_ae.layers.sandwich import (conv_act_pool_backward, conv_act_pool_forward, conv_transpose_act_backward,
                                       conv_transpose_act_forward, dense_act_backward, dense_act_forward,
                                       tied_dense_act_backward, tied_dense_act_forward)
from manual_ae.layers.conv import (conv2d_backward, conv2d_forward, conv2d_transpose_backward, conv2d_transpose_forward,
                                   max_pool2d_backward, max_pool2d_forward)
from manual_ae.layers.latent import (EIGEN_GAP_TOL, eigen_projection_backward, eigen_projection_forward,
                                     gaussian_sample_backward, gaussian_sample_forward, kl_latent_backward,
                                     kl_latent_forward, kl_latent_sigma_backward, kl_latent_sigma_forward,
                                     kl_sparsity_backward, kl_sparsity_forward, l1_activity_backward,
                                     l1_activity_forward, sigma_sample_backward, sigma_sample_forward)
from manual_ae.layers.regularizers import l2_penalty_backward, l2_penalty_forward
from manual_ae.layers.noise import (dropout_backward, dropout_forward, dropout_mask, gaussian_noise_backward,
                                    gaussian_noise_forward)
from manual_ae.layers.recurrent import (lstm_backward, lstm_forward, lstm_step_backward, lstm_step_forward,
                                        repeat_vector_backward, repeat_vector_forward, time_distributed_dense_backward,
                                        time_distributed_dense_forward)
