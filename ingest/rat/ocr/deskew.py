"""Straighten a scanned page: the angle at which its ink lines up in the most distinct rows.

Text lines and table rules are horizontal on the printed page, so when the page is rotated back by the
right angle, the ink's row profile has its sharpest peaks (the projection-profile method). Only ink
pixels are projected, on a sample, so a page takes a few tens of milliseconds.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

_MAX_DEGREES = 5.0
_COARSE_STEP = 0.2
_FINE_STEP = 0.02
_SAMPLE = 200_000
_NEGLIGIBLE_DEGREES = 0.04  # below this a rotation changes no pixel row over a page width


def _sharpness(xs: np.ndarray, ys: np.ndarray, degrees: float, height: int) -> float:
    shifted = ys - xs * np.tan(np.radians(degrees))
    rows = np.round(shifted).astype(np.int64)
    rows -= rows.min()
    profile = np.bincount(rows, minlength=height)
    return float(np.dot(profile, profile))


def skew_angle(dark: np.ndarray) -> float:
    """Degrees the page is rotated counter-clockwise on the image (positive: ink rises to the right)."""
    ys, xs = np.nonzero(dark)
    if len(xs) < 100:
        return 0.0
    if len(xs) > _SAMPLE:
        pick = np.random.default_rng(0).choice(len(xs), _SAMPLE, replace=False)
        xs, ys = xs[pick], ys[pick]
    xs = xs.astype(np.float64)
    ys = ys.astype(np.float64)
    height = dark.shape[0]

    def best(candidates: np.ndarray) -> float:
        scores = [_sharpness(xs, ys, float(a), height) for a in candidates]
        return float(candidates[int(np.argmax(scores))])

    coarse = best(np.arange(-_MAX_DEGREES, _MAX_DEGREES + 1e-9, _COARSE_STEP))
    fine = best(np.arange(coarse - _COARSE_STEP, coarse + _COARSE_STEP + 1e-9, _FINE_STEP))
    # image rows grow downwards: ink rising to the right has y decreasing with x, i.e. a negative slope
    return -fine


def deskewed(image: Image.Image, dark: np.ndarray) -> tuple[Image.Image, float]:
    """The page turned upright (same size, white where the turn uncovers paper) and the angle removed."""
    angle = skew_angle(dark)
    if abs(angle) < _NEGLIGIBLE_DEGREES:
        return image, 0.0
    turned = image.rotate(-angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    return turned, angle
