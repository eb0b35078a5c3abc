"""Post 003: greedy layer-wise training: AE1 (784-100-784), AE2 on AE1's codes (100-30-100, MSE),
then the stack enc1-enc2-dec2-dec1 fine-tuned with SGD lr 0.1. Each stage has its own folder.

    python scripts/post003_greedy_layerwise.py
"""
from manual_ae.models import MODELS, PIPELINES
from manual_ae.scripting import parse, train_case


def main(argv=None):
    result = train_case("greedy", parse(__doc__, argv))
    references = {"stage1-ae1": MODELS["greedy-ae1"].reference, "stage2-ae2": MODELS["greedy-ae2"].reference,
                  "stage3-finetune": PIPELINES["greedy"].finetune_reference}
    for stage, figures in result["stages"].items():
        ours = ", ".join(f"{k} {v:.4f}" for k, v in figures.items() if isinstance(v, float) and k != "seconds_per_epoch")
        print(f"{stage}: ours {ours}; reference {references[stage]}")


if __name__ == "__main__":
    main()
