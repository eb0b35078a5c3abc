"""Post 003's claims that it states without numbers, measured: the log loss makes the stacked
autoencoder converge faster than MSE; tying the weights halves the parameters, about doubles the
training speed and lowers the risk of overfitting; the convolutional encoder has 23,296 parameters.
Logs and metrics go to logs/post003/, the runs to runs/post003/, the table (built in
manual_ae/posts/post003.py) to logs/post003/table.md.

    python scripts/reference_runs_post003_claims.py [--seeds 42 1 2] [--only tied losses]
    python scripts/reference_runs_post003_claims.py --table-only
"""
import argparse
import json
import os


from manual_ae.data import load  # noqa: E402
from manual_ae.posts import post003  # noqa: E402
from manual_ae.train.reference import load_results, loss_on, run_case, write_tables  # noqa: E402

LOGS = os.path.join("logs", "post003")
CURVES = ("train_loss", "val_loss", "val_mse", "seconds")


def tied_runs(seed, x_train):
    """Untied and tied, 10 epochs each (the tied model's epochs), one after the other: the same machine
    state for their s/epoch. The train loss is re-evaluated on the whole training set after training."""
    for name, label in (("stacked", "untied-10"), ("tied", "tied")):
        result = run_case(name, seed, LOGS, label, epochs=10, history_keys=CURVES)
        result["train_eval_loss"] = loss_on(os.path.join("runs", "post003", f"seed{seed}", label), name, x_train)
        path = os.path.join(LOGS, f"{label}-seed{seed}.metrics.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=1)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--seeds", nargs="*", type=int, default=[42, 1, 2])
    p.add_argument("--only", nargs="*", choices=["tied", "losses"])
    p.add_argument("--table-only", action="store_true")
    args = p.parse_args()
    if not args.table_only:
        groups = args.only or ["tied", "losses"]
        x_train = load("fashion-mnist").x_train[:55000] if "tied" in groups else None
        for seed in args.seeds:
            if "tied" in groups:
                tied_runs(seed, x_train)
            if "losses" in groups:     # the same model, seed and budget (20 epochs), BCE then MSE
                run_case("stacked", seed, LOGS, "stacked-bce", history_keys=CURVES)
                run_case("stacked-mse", seed, LOGS, "stacked-mse", history_keys=CURVES)
    write_tables(LOGS, post003.claims_tables(load_results(LOGS)))


if __name__ == "__main__":
    main()
