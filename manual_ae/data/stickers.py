"""Emoji-like stickers pasted on images, for post 002's "de-emoji" case (its images and stickers
were never published).

A procedural sticker is a filled circle face at some grey level with two eyes and a smiling mouth
(darker or lighter than the face, so they show), drawn with antialiased edges at any radius. Users
may instead give PNG stickers (imageio; the alpha channel, or non-white pixels, says what covers).
A sticker lands near a random pixel of the object, so it covers part of it.

The stickered set keeps three channels per image: (stickered, clean, covered-mask), so the trainer
and a denoising model see input, target and mask together.
"""
import glob
import os

import numpy as np

from manual_ae.data.idx import DataError

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif")


def _disc(yy, xx, cy, cx, r):
    """Coverage in [0, 1] of a disc, antialiased over one pixel."""
    return np.clip(r - np.sqrt((yy - cy) ** 2 + (xx - cx) ** 2) + 0.5, 0.0, 1.0)


def draw_face(radius, grey, size=None):
    """(alpha, value), each (S, S): a smiley of the given radius (pixels) and face grey level."""
    size = size or int(np.ceil(2 * radius + 2))
    yy, xx = np.mgrid[0:size, 0:size] + 0.5
    c = size / 2
    alpha = _disc(yy, xx, c, c, radius)
    ink = 0.05 if grey > 0.5 else 0.95                         # features contrast with the face
    eyes = np.maximum(_disc(yy, xx, c - 0.3 * radius, c - 0.35 * radius, 0.16 * radius + 0.3),
                      _disc(yy, xx, c - 0.3 * radius, c + 0.35 * radius, 0.16 * radius + 0.3))
    dist = np.sqrt((yy - c) ** 2 + (xx - c) ** 2)
    ring = np.clip(0.5 + 0.12 * radius + 0.4 - np.abs(dist - 0.55 * radius), 0.0, 1.0)
    mouth = ring * np.clip((yy - c - 0.1 * radius) / 1.0, 0.0, 1.0)   # the lower half of a ring
    feature = np.maximum(eyes, mouth) * alpha
    value = grey * (1 - feature) + ink * feature
    return alpha, value


def _read_folder(directory, what, least):
    """Every image file in a folder (sorted by name), float64 scaled to [0, 1], channels kept."""
    import imageio.v2 as imageio
    paths = sorted(p for p in glob.glob(os.path.join(directory, "*")) if p.lower().endswith(IMAGE_SUFFIXES))
    if not paths:
        raise DataError(f"{what}: no image files ({', '.join(IMAGE_SUFFIXES)}) in {directory!r}")
    if len(paths) < least:
        raise DataError(f"{what}: found {len(paths)} image files in {directory!r}; need at least {least}")
    images = []
    for path in paths:
        try:
            img = np.asarray(imageio.imread(path), np.float64)
        except Exception as err:
            raise DataError(f"{what}: cannot read {path} as an image ({err}); remove or replace it") from None
        images.append(img / (255.0 if img.max() > 1 else 1.0))
    return images


def load_sticker_files(directory):
    """PNG (or other) sticker images -> list of (alpha, value) in [0, 1] at their own size."""
    images = _read_folder(directory, "stickers", least=1)
    stickers = []
    for img in images:
        if img.ndim == 2:
            value, alpha = img, (img < 0.98).astype(np.float64)      # no alpha: white is background
        elif img.shape[2] == 4:
            value, alpha = img[..., :3].mean(axis=2), img[..., 3]
        else:
            value = img[..., :3].mean(axis=2)
            alpha = (value < 0.98).astype(np.float64)
        stickers.append((alpha, value))
    return stickers


def _resize(array, size):
    from PIL import Image
    return np.asarray(Image.fromarray(array.astype(np.float32), mode="F").resize((size, size), Image.BILINEAR),
                      np.float64)


def paste(image, alpha, value, top, left):
    """Alpha-blend a sticker onto a copy of `image` at (top, left), clipped at the borders."""
    out, cover = image.copy(), np.zeros_like(image)
    h, w = image.shape
    s0, s1 = alpha.shape
    t, l = max(top, 0), max(left, 0)
    b, r = min(top + s0, h), min(left + s1, w)
    if t >= b or l >= r:
        return out, cover
    a = alpha[t - top:b - top, l - left:r - left]
    out[t:b, l:r] = (1 - a) * image[t:b, l:r] + a * value[t - top:b - top, l - left:r - left]
    cover[t:b, l:r] = a
    return out, cover


def add_stickers(images, rng, stickers=None, radius=(3.5, 7.0), greys=(0.25, 0.5, 0.75, 1.0)):
    """images: (N, 28, 28) in [0, 1] -> (N, 28, 28, 3): stickered, clean, covered (alpha > 0.5)."""
    images = np.asarray(images, np.float64).reshape(len(images), 28, 28)
    out = np.empty(images.shape + (3,), np.float32)
    for n, img in enumerate(images):
        r = rng.uniform(*radius)
        if stickers:
            a0, v0 = stickers[rng.integers(len(stickers))]
            size = max(2, int(round(2 * r)))
            alpha, value = np.clip(_resize(a0, size), 0, 1), np.clip(_resize(v0, size), 0, 1)
        else:
            alpha, value = draw_face(r, rng.choice(greys))
        on = np.argwhere(img > 0.5)
        cy, cx = on[rng.integers(len(on))] if len(on) else rng.integers(0, 28, 2)
        cy, cx = cy + rng.uniform(-0.6, 0.6) * r, cx + rng.uniform(-0.6, 0.6) * r   # near the object
        top, left = int(round(cy - alpha.shape[0] / 2)), int(round(cx - alpha.shape[1] / 2))
        stickered, cover = paste(img, alpha, value, top, left)
        out[n, ..., 0], out[n, ..., 1], out[n, ..., 2] = stickered, img, cover > 0.5
    return out


def load_image_folder(directory, size=28):
    """Every image in a folder, greyscale, resized to size x size, in [0, 1] (N, size, size)."""
    out = []
    for img in _read_folder(directory, "images", least=10):   # 10: enough to train, validate and test
        img = img[..., :3].mean(axis=2) if img.ndim == 3 else img
        out.append(np.clip(_resize(img, size), 0, 1))
    return np.stack(out)
