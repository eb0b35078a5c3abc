"""Post 004's own models, end to end: PCA by Adam, the ELU stacked autoencoder with L2, and the
digit VAE with the post's sigma head and with the log-variance head over the same seeds. Logs and
metrics go to logs/post004/, the runs to runs/post004/, the figures of seed 42 to
docs/figures/post004/, and the tables (built in manual_ae/posts/post004.py) to logs/post004/table.md.

    python scripts/reference_runs_post004.py [--seeds 42 1 2] [--only pca elu vae]
    python scripts/reference_runs_post004.py --table-only
"""
import argparse
import os
import shutil


from manual_ae.posts import post004  # noqa: E402
from manual_ae.train.reference import load_results, run_case, write_tables  # noqa: E402

LOGS = os.path.join("logs", "post004")
FIGURES = os.path.join("docs", "figures", "post004")
VAE_CURVES = ("train_loss", "last_batch_loss", "last_batch_reconstruction", "last_batch_latent", "val_loss",
              "last_batch_min_abs_sigma", "val_min_abs_sigma")
# group -> [(case, label, options, per-epoch values kept, figures copied from the seed-42 run)]
GROUPS = {
    "pca": [("pca-adam", "pca-adam", {}, (), ["codings_test.png", "codings_test.gif"])],
    "elu": [("elu-stacked", "elu-stacked", {}, ("train_loss", "last_batch_mse", "val_mse"),
             ["test_reconstructions.png", "mse_vs_published.png"])],
    "vae": [("digit-vae", "digit-vae-sigma", {}, VAE_CURVES, ["generated.png", "losses_vs_published.png"]),
            ("digit-vae", "digit-vae-logvar", {"head": "logvar"}, VAE_CURVES,
             ["generated.png", "losses_vs_published.png"])],
}


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--seeds", nargs="*", type=int, default=[42, 1, 2])
    p.add_argument("--only", nargs="*", choices=list(GROUPS))
    p.add_argument("--table-only", action="store_true")
    args = p.parse_args()
    if not args.table_only:
        os.makedirs(FIGURES, exist_ok=True)
        for group in args.only or list(GROUPS):
            for seed in (args.seeds if group != "pca" else [42]):   # PCA by Adam: one data set, one run
                for name, label, options, curves, figures in GROUPS[group]:
                    run_case(name, seed, LOGS, label, options, history_keys=curves)
                    for fig in figures if seed == 42 else ():
                        src = os.path.join("runs", "post004", f"seed{seed}", label, fig)
                        if os.path.exists(src):
                            shutil.copy(src, os.path.join(FIGURES, f"{label}_{fig}"))
    write_tables(LOGS, post004.tables(load_results(LOGS)))


if __name__ == "__main__":
    main()
