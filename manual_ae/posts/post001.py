"""Post 001: compress MNIST to 2-D and look at how the digits spread out.

784-128-64-10 sigmoid, linear 2-D code, 2-10-64-128 sigmoid, sigmoid 784 output (models/deep2d.py);
MSE; Adam lr 1e-3, batch 256, 50 epochs. The post shows a scatter of the 2-D codes of the test
digits by label; the number we add is the 5-nearest-neighbour accuracy of those codes.
"""
import os

from manual_ae import figures
from manual_ae.models import Deep2D
from manual_ae.posts.case import Case
from manual_ae.posts.common import knn_report


def codes_figures(model, predict, data, snapshots, out_dir, weights=None):
    """The 2-D codes of the test digits coloured by label (PNG), and over training (GIF)."""
    codes = predict(data.x_test)["codes"]
    title = f"{model.name}: 2-D codes of {len(codes)} test digits ({data.name})"
    paths = [figures.save(figures.codes_2d_figure(codes, data.y_test, title), os.path.join(out_dir, "codes_2d.png"))]
    if snapshots.get("codes"):
        labels = data.y_test[:len(snapshots["codes"][0])]
        frames = [figures.fig_to_array(figures.codes_2d_figure(c, labels, f"{model.name}: epoch {e}",
                                                               figures.limits([c])))
                  for e, c in zip(snapshots["epoch"], snapshots["codes"])]
        paths.append(figures.save_gif(frames, os.path.join(out_dir, "codes_2d.gif")))
    return paths


CASES = [
    Case("deep2d", "001", Deep2D, "784-128-64-10-2 sigmoid MLP to a 2-D code, MSE", "scripts/post001_mnist_2d_latent.py",
         "digits", epochs=50, batch_size=256, lr=1e-3, optimizer="adam", report=knn_report, figures=codes_figures),
]
