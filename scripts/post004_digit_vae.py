"""Post 004: the variational autoencoder of the post's own TF1 code, which generates digits:
784-500-500 ELU, heads of 20 for the mean and for sigma, the loss summed over the batch and the
pixels, Adam 1e-3, batch 150, 50 epochs (on the offline mnist-5k: 700, the same number of updates).
`--set head=logvar` trains the log-variance head of Geron's book instead.

    python scripts/post004_digit_vae.py
    python scripts/post004_digit_vae.py --set head=logvar
"""
from manual_ae.posts.post004 import VAE_LOSSES, epoch_matching_post
from manual_ae.scripting import parse, train_case


def main(argv=None):
    result = train_case("digit-vae", parse(__doc__, argv))
    history, steps = result["history"], result["n_train"] // result["batch_size"]
    if len(history) < epoch_matching_post(0, steps):
        print(f"(a {len(history)}-epoch run is shorter than the post's first epoch in updates: nothing to compare)")
    print("loss on the epoch's last batch of 150, total / reconstruction / latent:")
    for k in range(len(VAE_LOSSES["total"])):
        epoch = epoch_matching_post(k, steps)
        if epoch <= len(history):
            h = history[epoch - 1]
            print(f"  post epoch {k}: published " + " / ".join(f"{VAE_LOSSES[p][k]:.0f}" for p in VAE_LOSSES)
                  + f"; ours at epoch {epoch} {h['last_batch_loss']:.0f} / {h['last_batch_reconstruction']:.0f} / "
                  f"{h['last_batch_latent']:.0f}")
    print(f"units whose sigma collapsed below 1e-3: {result['collapsed_units']} of {result['units']}")


if __name__ == "__main__":
    main()
