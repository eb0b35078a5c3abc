"""Gradient checks: every hand-written gradient against tf.GradientTape and finite differences.

This package (and manual_ae/bench.py) is the only place in manual_ae where automatic
differentiation is used, and only to check.
"""
from manual_ae.gradcheck import exercise, mistakes
from manual_ae.gradcheck.core import NUMERIC_TOL, TAPE_TOL, check_layer, check_model, rel_error
from manual_ae.gradcheck.registry import COVERED_KINDS, LAYER_CHECKS, entries_of, all_checks
from manual_ae.gradcheck.report import run
from manual_ae.gradcheck.trained import check_run
