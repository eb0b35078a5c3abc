"""Post 004: the stacked autoencoder of the post's own TF1 code: 784-300-150-300-784, ELU, linear
output, He initialisation, L2 1e-4 on every kernel, MSE, Adam 0.01, batch 150, 5 epochs (on the
offline mnist-5k: 70 epochs, the same number of updates).

The post printed "Train MSE" on each epoch's last batch: 0.0235, 0.0121, 0.0112, 0.0105, 0.0107.

    python scripts/post004_elu_stacked.py
"""
from manual_ae.posts.post004 import ELU_TRAIN_MSE, epoch_matching_post
from manual_ae.scripting import parse, train_case


def main(argv=None):
    result = train_case("elu-stacked", parse(__doc__, argv))
    history, steps = result["history"], result["n_train"] // result["batch_size"]
    for k, published in enumerate(ELU_TRAIN_MSE):
        epoch = epoch_matching_post(k, steps)
        if epoch <= len(history):
            print(f"post epoch {k}: published train MSE {published:.4f}; ours at epoch {epoch} (same updates) "
                  f"{history[epoch - 1]['last_batch_mse']:.4f}")
    print(f"MSE over the whole sets: train {result['train_mse_whole_set']:.4f}, "
          f"validation {result['val_mse_whole_set']:.4f}")


if __name__ == "__main__":
    main()
