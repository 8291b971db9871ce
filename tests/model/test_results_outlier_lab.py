"""The outlier lab's results: the same numbers the model gives directly, with no Qt."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lossdesk.model import LOSSES, RegressionData, best_constant, best_line
from lossdesk.model.comparison import constant_cost_curve, fit_losses, loss_of_residual
from lossdesk.model.results.outlier_lab import (
    COMPARED,
    OutlierLabCache,
    arrow_scale,
    compute_outlier_lab,
)
from lossdesk.settings import DataSource, OutlierLabSettings, RegressionSettings
from lossdesk.settings.outlier_lab import COMPARED as SETTINGS_COMPARED


def regression(preset: str = "outliers", **changes) -> RegressionSettings:
    return replace(RegressionSettings(source=DataSource.from_preset(preset)), **changes)


def shifted(settings: RegressionSettings, row: int, dy: float) -> RegressionSettings:
    """Choose ``row`` as the outlier, then move it ``dy`` up."""
    chosen = settings.with_outlier(row)
    data = chosen.data.with_value(row, "y", chosen.outlier_base + dy)
    return chosen.with_source(chosen.source.edited(data))


def params_of(settings: RegressionSettings) -> dict[str, dict[str, float]]:
    return {name: dict(settings.loss_params[name]) for name in COMPARED}


def test_the_lab_compares_the_losses_its_settings_name():
    assert COMPARED == SETTINGS_COMPARED


def test_fits_are_the_model_fits_of_every_compared_loss():
    reg = regression().with_loss_param("huber", "delta", 0.4).with_loss_param("quantile", "tau", 0.7)
    results = compute_outlier_lab(OutlierLabSettings(), reg, OutlierLabCache())
    direct = fit_losses(reg.data, params_of(reg))
    assert set(results.fits) == set(COMPARED)
    for name in COMPARED:
        fit, want = results.fits[name], direct[name]
        assert (fit.w, fit.b) == pytest.approx(best_line(reg.data.x, reg.data.y, name, **reg.loss_params[name]))
        assert (fit.w, fit.b, fit.cost) == (want.w, want.b, want.cost)
        for attr in ("predictions", "residuals", "losses", "shares", "pulls"):
            np.testing.assert_array_equal(getattr(fit, attr), getattr(want, attr))
        row = results.rows[name]
        assert (row.w, row.b, row.cost, row.dw, row.db) == (fit.w, fit.b, fit.cost, 0.0, 0.0)
    assert results.reference is results.fits  # no outlier: nothing moved
    np.testing.assert_array_equal(results.x, reg.data.x)
    assert results.n == reg.data.n


def test_reference_fits_put_the_outlier_back_at_its_base():
    base = regression("linear")
    reg = shifted(base, 4, -20.0)
    results = compute_outlier_lab(OutlierLabSettings(), reg, OutlierLabCache())
    original = fit_losses(base.data, params_of(reg))
    moved = fit_losses(reg.data, params_of(reg))
    assert results.outlier == 4
    for name in COMPARED:
        assert results.reference[name].w == pytest.approx(original[name].w, abs=1e-12)
        assert results.reference[name].b == pytest.approx(original[name].b, abs=1e-12)
        row = results.rows[name]
        assert row.dw == pytest.approx(moved[name].w - original[name].w, abs=1e-12)
        assert row.db == pytest.approx(moved[name].b - original[name].b, abs=1e-12)
    assert abs(results.rows["mse"].dw) > 5 * abs(results.rows["mae"].dw)


def test_shares_sum_to_one_and_the_outlier_share_is_its_part():
    reg = shifted(regression("linear"), 0, 30.0)
    results = compute_outlier_lab(OutlierLabSettings(shown=("mse", "mae")), reg, OutlierLabCache())
    for name in COMPARED:
        assert results.fits[name].shares.sum() == pytest.approx(1.0)
        np.testing.assert_allclose(results.shares[name], 100 * results.fits[name].shares)
        assert results.outlier_share(name) == pytest.approx(results.fits[name].shares[0])
    assert results.shares_top == pytest.approx(max(results.shares["mse"].max(), results.shares["mae"].max()))
    assert results.outlier_share("mse") > results.outlier_share("mae")
    none = compute_outlier_lab(OutlierLabSettings(), regression("linear"), OutlierLabCache())
    assert none.outlier is None and none.outlier_shares == {} and none.outlier_share("mse") == 0.0


def test_loss_against_residual_curves_are_each_loss_of_the_residual():
    reg = regression().with_loss_param("huber", "delta", 2.0)
    lab = OutlierLabSettings(shown=("mse", "huber", "logcosh"))
    results = compute_outlier_lab(lab, reg, OutlierLabCache())
    curves = results.residuals
    biggest = max(float(np.abs(results.fits[n].residuals).max()) for n in lab.shown)
    assert curves.reach == pytest.approx(1.1 * max(biggest, 1.0))
    assert curves.r[0] == pytest.approx(-curves.reach) and curves.r[-1] == pytest.approx(curves.reach)
    for name in COMPARED:
        # of_residual takes ŷ − y = −r
        np.testing.assert_allclose(curves.values[name], LOSSES[name].of_residual(-curves.r, **reg.loss_params[name]))
    # MSE may run off the top; the others fit under it
    assert curves.top == pytest.approx(1.3 * max(curves.values[n].max() for n in ("huber", "logcosh")))
    only_mse = compute_outlier_lab(OutlierLabSettings(shown=("mse",)), reg, OutlierLabCache())
    assert only_mse.residuals.top == pytest.approx(only_mse.residuals.values["mse"].max())


def test_residuals_are_target_minus_prediction():
    reg = shifted(regression("linear"), 2, 12.0)
    results = compute_outlier_lab(OutlierLabSettings(), reg, OutlierLabCache())
    for name in COMPARED:
        fit = results.fits[name]
        np.testing.assert_allclose(fit.residuals, reg.data.y - fit.predictions)
        # every point lies on its loss's curve over r
        np.testing.assert_allclose(loss_of_residual(name, fit.residuals, **reg.loss_params[name]), fit.losses)
    assert results.fits["mse"].residuals[2] > 0  # moved up: above the line


@pytest.mark.parametrize("tau", [0.1, 0.5, 0.8])
def test_the_pinball_curve_over_r_is_tau_r_above_and_tau_minus_one_r_below(tau):
    reg = regression().with_loss_param("quantile", "tau", tau)
    curves = compute_outlier_lab(OutlierLabSettings(shown=("quantile",)), reg, OutlierLabCache()).residuals
    r, values = curves.r, curves.values["quantile"]
    np.testing.assert_allclose(values, np.where(r >= 0, tau * r, (tau - 1) * r), atol=1e-12)
    np.testing.assert_allclose(values, LOSSES["quantile"].value(r, np.zeros_like(r), tau=tau))


def test_one_repeated_value_gets_a_window_of_its_size():
    data = RegressionData(np.array([0.0, 1.0, 2.0]), np.array([1e6, 1e6, 1e6]))
    constants = compute_outlier_lab(OutlierLabSettings(), RegressionSettings(source=DataSource.own(data))).constants
    assert constants.c[-1] - constants.c[0] >= 0.05 * 1e6


def test_best_constants_are_the_mean_median_and_quantile():
    reg = regression("heavy_tail").with_loss_param("quantile", "tau", 0.8)
    constants = compute_outlier_lab(OutlierLabSettings(), reg, OutlierLabCache()).constants
    y = reg.data.y
    assert constants.best["mse"] == pytest.approx(np.mean(y))
    assert constants.best["mae"] == pytest.approx(np.median(y))
    assert constants.best["quantile"] == pytest.approx(best_constant(y, "quantile", tau=0.8))
    step = constants.c[1] - constants.c[0]
    for name in ("mse", "mae", "quantile"):
        np.testing.assert_allclose(constants.costs[name],
                                   constant_cost_curve(y, name, constants.c, **reg.loss_params[name]))
        rel = constants.relative[name]
        assert rel.min() == pytest.approx(0.0) and rel.max() == pytest.approx(1.0)
        assert abs(constants.c[np.argmin(rel)] - constants.best[name]) <= step


def test_arrows_are_the_chosen_losses_scaled_pulls():
    reg = regression()
    for loss in ("mse", "mae", "huber"):
        results = compute_outlier_lab(OutlierLabSettings(arrows=loss), reg, OutlierLabCache())
        arrows, fit = results.arrows, results.fits[loss]
        assert arrows.loss == loss
        assert arrows.scale == pytest.approx(0.04 * np.ptp(reg.data.y)) == arrow_scale(reg.data.y)
        np.testing.assert_array_equal(arrows.start, fit.predictions)
        np.testing.assert_allclose(arrows.tip, fit.predictions - arrows.scale * fit.pulls)
        np.testing.assert_array_equal(arrows.up, arrows.tip > arrows.start)
        np.testing.assert_array_equal(arrows.moving, arrows.tip != arrows.start)
    mae = compute_outlier_lab(OutlierLabSettings(arrows="mae"), reg, OutlierLabCache()).arrows
    assert np.abs(mae.tip - mae.start).max() <= mae.scale * (1 + 1e-12)


def test_shown_follows_the_lab_order_and_the_settings_may_be_duck_typed():
    reg = regression("linear")
    lab = SimpleNamespace(shown=["quantile", "mse"], arrows="quantile")
    duck = SimpleNamespace(data=reg.data, loss_params=reg.loss_params, outlier=None, outlier_base=0.0)
    results = compute_outlier_lab(lab, duck)
    assert results.shown == ("mse", "quantile")
    real = compute_outlier_lab(OutlierLabSettings(shown=("mse", "quantile"), arrows="quantile"), reg)
    assert results.rows == real.rows
    # an outlier row the data no longer has is no outlier
    gone = SimpleNamespace(data=reg.data, loss_params=reg.loss_params, outlier=reg.data.n + 3, outlier_base=1.0)
    assert compute_outlier_lab(lab, gone).outlier is None


def test_the_cache_saves_work_and_never_changes_a_result():
    cache = OutlierLabCache()
    lab = OutlierLabSettings()
    reg = shifted(regression("linear"), 3, 10.0)
    first = compute_outlier_lab(lab, reg, cache)
    misses = cache.misses
    assert compute_outlier_lab(replace(lab, shown=("mae",), arrows="huber"), reg, cache).rows == first.rows
    assert cache.misses == misses  # other losses shown: nothing refitted
    # the outlier moves on: the data's fits are new, the reference fits are not
    further = shifted(regression("linear"), 3, 10.0)
    further = further.with_source(further.source.edited(further.data.with_value(3, "y", further.outlier_base + 15)))
    moved = compute_outlier_lab(lab, further, cache)
    assert cache.misses == misses + len(COMPARED) + 1  # five fits and one set of constant curves
    fresh = compute_outlier_lab(lab, further, OutlierLabCache())
    assert moved.rows == fresh.rows
    np.testing.assert_array_equal(moved.constants.relative["mse"], fresh.constants.relative["mse"])
    with pytest.raises(ValueError):
        moved.fits["mse"].pulls[0] = 1.0  # shared with later results: read-only


def test_the_cache_keeps_a_bounded_number_of_fits():
    cache = OutlierLabCache(size=12)
    reg = regression("linear")
    for k in range(6):
        compute_outlier_lab(OutlierLabSettings(), shifted(reg, 1, float(k)), cache)
    assert len(cache._items) <= 12


#: numbers as a student types them (tenths); tiny x such as 1e-300 are a fitting matter of their own
TENTHS = st.integers(-500, 500).map(lambda v: v / 10)


@given(st.lists(st.tuples(TENTHS, TENTHS), min_size=2, max_size=25), st.integers(0, 24), TENTHS)
def test_any_data_gives_shares_summing_to_one_and_exact_reference_fits(points, row, dy):
    x, y = (np.array(v, dtype=float) for v in zip(*points))
    assume(np.any(x != x[0]))  # every x equal: see the expected failure below
    row = row % x.size
    base = RegressionSettings(source=DataSource.own(RegressionData(x, y)))
    reg = shifted(base, row, dy)
    results = compute_outlier_lab(OutlierLabSettings(), reg, OutlierLabCache())
    for name in COMPARED:
        total = results.fits[name].shares.sum()
        assert total == pytest.approx(1.0) or total == 0.0
        assert results.reference[name].w == fit_losses(base.data, {name: reg.loss_params[name]})[name].w



def test_points_all_at_one_x_still_compute():
    """x all equal but their mean rounds off (0.1 three times): the slope is free, the fit flat."""
    data = RegressionData(np.array([0.1, 0.1, 0.1]), np.array([0.0, 1.0, 2.0]))
    results = compute_outlier_lab(OutlierLabSettings(), RegressionSettings(source=DataSource.own(data)))
    assert results.fits["mae"].w == 0.0
