"""`manual-ae demo`: a short offline tour. The gradient-check summary, the PCA autoencoder of post
003 (the post's 20 epochs, then to convergence), the stacked autoencoder for 5 epochs, and a CPPN
drawn and fitted to a digit (post 002). Each demo writes a new folder."""
import os
import time

from manual_ae import art, gradcheck
from manual_ae import data as datasets
from manual_ae.train import Hyper, RunConfig, run


def default_out():
    return os.path.join("runs", f"demo-{time.strftime('%Y%m%d-%H%M%S')}")


def main(out):
    print("== 1/4  gradient checks (every layer and model) ==")
    lines = []
    _, failures = gradcheck.run(["all"], out=lines.append)
    print("\n".join(lines[:2] + lines[-1:]))
    print("\n== 2/4  the PCA autoencoder of post 003 (20 epochs on 60 points, then to convergence) ==")
    pca = run(RunConfig("pca", out=os.path.join(out, "pca"), progress=False))
    full = run(RunConfig("pca", hyper=Hyper(epochs=1000, batch_size=60), out=os.path.join(out, "pca-converged"),
                         progress=False, console=False))
    for what, r in (("after the post's 20 epochs", pca), ("after 1000 full-batch epochs", full)):
        print(f"   {what}: autoencoder MSE {r['train_mse_autoencoder']:.5f} vs PCA {r['train_mse_pca']:.5f}; "
              f"angle to PCA's plane {r['subspace_angle_deg']:.2f} deg")
    print("\n== 3/4  the stacked autoencoder of post 003 (5 epochs) ==")
    try:
        datasets.load("fashion-mnist", download=False)
        dataset = "fashion-mnist"
    except datasets.DataError:
        dataset = "mnist-5k"
        print("   (Fashion-MNIST not installed: `apt-get install -y dataset-fashion-mnist`; using mnist-5k)")
    stacked = run(RunConfig("stacked", hyper=Hyper(epochs=5), dataset=dataset, out=os.path.join(out, "stacked")))
    print("\n== 4/4  a CPPN (post 002): random art, and a digit fitted by the log loss ==")
    r = art.make_art(os.path.join(out, "cppn", "art.png"), 512, 512, 3, seed=3, progress=False)
    print(f"   rendered 512x512 RGB art in {r['seconds']} s -> {r['image']}")
    try:
        target, what = art.load_target("digit")
    except datasets.DataError as err:       # no MNIST and no registry to fetch it from: say so, go on
        print(f"   (full MNIST unavailable: {err}\n    fitting a digit of mnist-5k instead)")
        target, what = art.load_target("digit", dataset="mnist-5k")
    _, _, history = art.fit(target, steps=500, progress=False, log=lambda line: None)
    print(f"   fitted to {what}: log loss {history[0][1]:.3f} -> {history[-1][1]:.3f} in 500 steps "
          f"(the target's entropy, the floor, is {art.entropy_floor(target):.3f}); `manual-ae cppn --fit digit` "
          "draws the fit at 512x512")
    print(f"\nDone. Figures and logs in {out}/pca, {out}/stacked and {out}/cppn "
          f"(stacked val_rounded_accuracy {stacked['val_rounded_accuracy']:.4f}). "
          f"Full runs: `manual-ae train stacked`, scripts in scripts/.")
    return 1 if failures else 0
