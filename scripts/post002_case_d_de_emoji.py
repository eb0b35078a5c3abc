"""Post 002, case d: remove emoji stickers from images with a convolutional denoising autoencoder.

Procedurally drawn smiley stickers (several sizes and grey levels, placed so they cover part of the
object) are pasted once on each Fashion-MNIST (or --dataset mnist / mnist-5k) image; the network
learns to output the clean image. Prints the PSNR of the output against the clean image on the
covered pixels and on all pixels, next to the baseline of leaving the sticker in, and the share of
the covered pixels' squared error that the network removes. Writes the post's rows (with sticker /
clean / output) as a PNG and a GIF over training.

Your own images and stickers: --set images=FOLDER (any image files, made grey 28x28) and
--set stickers=FOLDER (PNG stickers; their alpha channel says what covers).

    python scripts/post002_case_d_de_emoji.py [--dataset mnist-5k] [--epochs N] [--set stickers=DIR]
"""
from manual_ae.scripting import parse, train_case


def main(argv=None):
    r = train_case("de-emoji", parse(__doc__, argv))
    print(f"PSNR on covered pixels: output {r['psnr_covered_output']:.2f} dB vs sticker left in "
          f"{r['psnr_covered_baseline']:.2f} dB; on all pixels: {r['psnr_all_output']:.2f} vs "
          f"{r['psnr_all_baseline']:.2f} dB")
    print(f"squared error on the covered pixels removed: {100 * r['covered_error_removed']:.1f}%")


if __name__ == "__main__":
    main()
