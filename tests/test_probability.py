"""dlnotes.probability against exact rational arithmetic, a seeded simulation, and its documented errors."""

from fractions import Fraction

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlnotes.probability import PRIOR_SUM_ATOL, bayes_posterior, total_probability

# ---------------------------------------------------------------------------------------------------------
# Exactness: the float64 results equal the same formulas evaluated with Fractions (no rounding at all).


@st.composite
def partitions(draw, max_k=6):
    """Priors (summing to 1 exactly) and likelihoods, both as Fractions with small denominators."""
    k = draw(st.integers(1, max_k))
    weights = draw(st.lists(st.integers(1, 1000), min_size=k, max_size=k))
    priors = [Fraction(w, sum(weights)) for w in weights]
    likelihoods = [Fraction(n, 1000) for n in draw(st.lists(st.integers(0, 1000), min_size=k, max_size=k))]
    return priors, likelihoods


@given(partitions())
def test_total_probability_equals_exact_sum(case):
    priors, likelihoods = case
    exact = sum(p * q for p, q in zip(priors, likelihoods))
    got = total_probability([float(p) for p in priors], [float(q) for q in likelihoods])
    assert isinstance(got, np.float64)
    assert got == pytest.approx(float(exact), rel=1e-12, abs=1e-15)


@given(partitions())
def test_bayes_posterior_equals_exact_posterior(case):
    priors, likelihoods = case
    evidence = sum(p * q for p, q in zip(priors, likelihoods))
    if evidence == 0:
        return  # undefined posterior: covered by test_zero_evidence_is_an_error
    exact = [float(p * q / evidence) for p, q in zip(priors, likelihoods)]
    got = bayes_posterior([float(p) for p in priors], [float(q) for q in likelihoods])
    np.testing.assert_allclose(got, exact, rtol=1e-12, atol=1e-15)
    assert got.sum() == pytest.approx(1.0, abs=1e-12)


def test_disease_test_of_the_seeds():
    # 1 % prevalence, sensitivity 0.99, false-positive rate 0.01: P(+) = 0.0198, P(D | +) = 1/2 exactly.
    assert total_probability([0.01, 0.99], [0.99, 0.01]) == pytest.approx(0.0198, rel=1e-14)
    np.testing.assert_allclose(bayes_posterior([0.01, 0.99], [0.99, 0.01]), [0.5, 0.5], rtol=1e-14)


def test_agrees_with_a_seeded_simulation():
    # Three hypotheses; sample hypothesis then event; compare frequencies within 4 standard errors.
    rng = np.random.default_rng(0)
    priors, likelihoods = np.array([0.2, 0.5, 0.3]), np.array([0.9, 0.1, 0.4])
    n = 400_000
    h = rng.choice(3, size=n, p=priors)
    event = rng.random(n) < likelihoods[h]
    p_event = total_probability(priors, likelihoods)
    assert abs(event.mean() - p_event) < 4 * np.sqrt(p_event * (1 - p_event) / n)
    post = bayes_posterior(priors, likelihoods)
    freq = np.bincount(h[event], minlength=3) / event.sum()
    assert np.all(np.abs(freq - post) < 4 * np.sqrt(post * (1 - post) / event.sum()))


# ---------------------------------------------------------------------------------------------------------
# Properties that any correct implementation has.


def test_uninformative_evidence_leaves_the_prior_unchanged():
    priors = [0.1, 0.6, 0.3]
    np.testing.assert_allclose(bayes_posterior(priors, [0.4, 0.4, 0.4]), priors, rtol=1e-15)


def test_sequential_updates_equal_one_update_with_multiplied_likelihoods():
    priors, lik1, lik2 = np.array([0.01, 0.99]), np.array([0.99, 0.01]), np.array([0.8, 0.3])
    twice = bayes_posterior(bayes_posterior(priors, lik1), lik2)
    np.testing.assert_allclose(twice, bayes_posterior(priors, lik1 * lik2), rtol=1e-13)


def test_broadcasting_equals_row_by_row():
    rng = np.random.default_rng(1)
    priors = rng.dirichlet(np.ones(4), size=(5, 1))  # (5, 1, 4)
    likelihoods = rng.random((3, 4))  # (3, 4)
    post = bayes_posterior(priors, likelihoods)
    total = total_probability(priors, likelihoods)
    assert post.shape == (5, 3, 4) and total.shape == (5, 3)
    for i in range(5):
        for j in range(3):
            np.testing.assert_allclose(post[i, j], bayes_posterior(priors[i, 0], likelihoods[j]), rtol=1e-15)
            assert total[i, j] == pytest.approx(total_probability(priors[i, 0], likelihoods[j]), rel=1e-15)


def test_accepts_tensors_lists_and_integers():
    expected = bayes_posterior([0.25, 0.75], [0.5, 0.1])
    as_tensor = bayes_posterior(torch.tensor([0.25, 0.75]), torch.tensor([0.5, 0.1], dtype=torch.float64))
    np.testing.assert_allclose(as_tensor, expected, rtol=1e-7)  # the float32 tensor rounds 0.1
    np.testing.assert_allclose(bayes_posterior([1, 0], [1, 1]), [1.0, 0.0])
    assert bayes_posterior([0.25, 0.75], [0.5, 0.1]).dtype == np.float64


def test_priors_summing_to_one_within_tolerance_are_accepted():
    off = PRIOR_SUM_ATOL / 2
    assert np.isfinite(total_probability([0.5 + off, 0.5], [0.3, 0.6]))
    assert total_probability([0.1] * 10, [0.5] * 10) == pytest.approx(0.5)  # the sum is 0.9999999999999999


# ---------------------------------------------------------------------------------------------------------
# Documented errors: each says what was expected and what came.


@pytest.mark.parametrize("func", [total_probability, bayes_posterior])
@pytest.mark.parametrize(
    ("priors", "likelihoods", "error", "message"),
    [
        (["a", "b"], [0.5, 0.5], TypeError, "priors must hold real numbers, got an array of dtype <U1"),
        (
            [0.5, 0.5],
            [0.5 + 0j, 0.5],
            TypeError,
            "likelihoods must hold real numbers, got an array of dtype complex",
        ),
        (
            [0.5, 0.5],
            [None, 0.5],
            TypeError,
            "likelihoods must hold real numbers, got an array of dtype object",
        ),
        (1.0, [0.5], ValueError, "priors must have a last axis with one entry per hypothesis, got a scalar"),
        ([], [], ValueError, r"priors must hold at least one hypothesis, got shape \(0,\)"),
        ([[0.5, 0.5], [1.0]], [0.5, 0.5], ValueError, "priors must be a rectangular array of probabilities"),
        ([np.nan, 1.0], [0.5, 0.5], ValueError, r"priors must be probabilities in \[0, 1\], got NaN"),
        (
            [-0.1, 1.1],
            [0.5, 0.5],
            ValueError,
            r"priors must be probabilities in \[0, 1\], got values from -0.1 to 1.1",
        ),
        (
            [0.5, 0.5],
            [0.5, 1.5],
            ValueError,
            r"likelihoods must be probabilities in \[0, 1\], got values from 0.5",
        ),
        ([0.5, 0.5], [0.5, np.inf], ValueError, r"likelihoods must be probabilities in \[0, 1\]"),
        ([0.3, 0.3], [0.5, 0.5], ValueError, "priors must sum to 1 over the last axis .*got a sum of 0.6"),
        ([[0.5, 0.5], [0.5, 0.6]], [0.5, 0.5], ValueError, "priors must sum to 1 .*got a sum of 1.1"),
        ([0.5, 0.5], [0.5, 0.5, 0.5], ValueError, "same number of hypotheses on the last axis, got 2 and 3"),
        (
            np.full((2, 2), 0.5),
            np.full((3, 2), 0.5),
            ValueError,
            r"priors of shape \(2, 2\) and likelihoods of shape \(3, 2\) do not broadcast",
        ),
    ],
)
def test_bad_input_raises_clear_errors(func, priors, likelihoods, error, message):
    with pytest.raises(error, match=message):
        func(priors, likelihoods)


def test_zero_evidence_is_an_error():
    with pytest.raises(ValueError, match=r"probability 0 under the priors in 1 row\(s\)"):
        bayes_posterior([[0.5, 0.5], [0.5, 0.5]], [[0.0, 0.0], [0.2, 0.1]])
    assert (
        total_probability([0.5, 0.5], [0.0, 0.0]) == 0.0
    )  # P(B) = 0 is a fine answer; only P(A | B) is undefined


@settings(max_examples=50)
@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1))
def test_two_hypotheses_posterior_matches_odds_form(prior, lik_a, lik_b):
    if prior * lik_a + (1 - prior) * lik_b == 0:
        return
    post = bayes_posterior([prior, 1 - prior], [lik_a, lik_b])[0]
    # posterior odds = prior odds * likelihood ratio, written without division:
    # post * (1-p) * lb == (1-post) * p * la
    assert post * (1 - prior) * lik_b == pytest.approx((1 - post) * prior * lik_a, abs=1e-12)
