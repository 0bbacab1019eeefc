"""Straighten a scanned page: the angle at which its ink lines up in the most distinct rows.

Text lines and table rules are horizontal on the printed page, so when the page is rotated back by the
right angle, the ink's row profile has its sharpest peaks (the projection-profile method). Only ink
pixels are projected, on a sample, so a page takes a few tens of milliseconds.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from ingest.rat.settings import DEFAULT_RAT_SETTINGS, RatSettings


def _sharpness(xs: np.ndarray, ys: np.ndarray, degrees: float, height: int) -> float:
    shifted = ys - xs * np.tan(np.radians(degrees))
    rows = np.round(shifted).astype(np.int64)
    rows -= rows.min()
    profile = np.bincount(rows, minlength=height)
    return float(np.dot(profile, profile))


def skew_angle(dark: np.ndarray, *, settings: RatSettings = DEFAULT_RAT_SETTINGS) -> float:
    """Degrees the page is rotated counter-clockwise on the image (positive: ink rises to the right)."""
    ys, xs = np.nonzero(dark)
    if len(xs) < 100:
        return 0.0
    sample = settings.skew_sample_pixels
    if len(xs) > sample:
        pick = np.random.default_rng(0).choice(len(xs), sample, replace=False)
        xs, ys = xs[pick], ys[pick]
    xs = xs.astype(np.float64)
    ys = ys.astype(np.float64)
    height = dark.shape[0]

    def best(candidates: np.ndarray) -> float:
        scores = [_sharpness(xs, ys, float(a), height) for a in candidates]
        return float(candidates[int(np.argmax(scores))])

    widest, step = settings.max_skew_degrees, settings.coarse_skew_step
    coarse = best(np.arange(-widest, widest + 1e-9, step))
    fine = best(np.arange(coarse - step, coarse + step + 1e-9, settings.fine_skew_step))
    # image rows grow downwards: ink rising to the right has y decreasing with x, i.e. a negative slope
    return -fine


def deskewed(
    image: Image.Image, dark: np.ndarray, *, settings: RatSettings = DEFAULT_RAT_SETTINGS
) -> tuple[Image.Image, float]:
    """The page turned upright (same size, white where the turn uncovers paper) and the angle removed."""
    angle = skew_angle(dark, settings=settings)
    if abs(angle) < settings.negligible_skew_degrees:
        return image, 0.0
    return turned_upright(image, angle), angle


def turned_upright(image: Image.Image, angle: float) -> Image.Image:
    """The page image turned back by `angle` degrees (as `deskewed` measured it), same size."""
    if not angle:
        return image
    return image.rotate(-angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
