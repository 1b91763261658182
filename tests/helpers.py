"""What several test modules share: the devices to run on, and the comparison of values and gradients.

``DEVICES`` goes in ``@pytest.mark.parametrize("device", DEVICES)``: the ids are ``cpu`` and, where a GPU
is present, ``cuda``. ``assert_same_values_and_grads`` compares a function of ours with torch's on the same
inputs: the outputs, then the gradients of <output, u> for a fixed random upstream gradient u (a random
weighting, not ``.sum()``, which would give softmax a zero gradient whatever the code) with respect to
every floating-point tensor input. ``torch_error`` is the exception torch raises, to compare ours with.
"""

import pytest
import torch

DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
f64 = torch.float64


def randn(*shape, seed=0, device="cpu", scale=1.0):
    """A float64 standard normal tensor times `scale`, drawn on the CPU from `seed`, moved to `device`."""
    gen = torch.Generator().manual_seed(seed)
    return (scale * torch.randn(shape, generator=gen, dtype=f64)).to(device)


def leaf(t):
    """A copy of `t` that is a leaf of the autograd graph and requires grad."""
    return t.detach().clone().requires_grad_(True)


def outputs_and_grads(fn, inputs, upstream_seed=99):
    """fn(*inputs) and the gradients of <fn(*inputs), u> for a fixed random float64 u.

    The gradients are with respect to the floating-point tensors among `inputs` (each replaced by a fresh
    leaf), in their order; other inputs (integer or boolean tensors, None, numbers) are passed as they are.
    """
    inputs = [leaf(t) if isinstance(t, torch.Tensor) and t.is_floating_point() else t for t in inputs]
    out = fn(*inputs)
    u = randn(*out.shape, seed=upstream_seed, device=out.device)
    wrt = [t for t in inputs if isinstance(t, torch.Tensor) and t.requires_grad]
    grads = torch.autograd.grad((out * u).sum(), wrt)
    return out, grads


def assert_same_values_and_grads(ours, theirs, inputs, *, rtol=None, atol=None, equal_nan=False):
    """ours(*inputs) equals theirs(*inputs): same shape and dtype, close values, finite and close gradients.

    `rtol` and `atol` are ``torch.testing.assert_close``'s (None: its defaults for the dtype) and apply to
    the values and the gradients; `equal_nan` lets NaN in the values equal NaN. Our gradients must be
    finite whatever `equal_nan` says.
    """
    out_ours, grads_ours = outputs_and_grads(ours, inputs)
    out_theirs, grads_theirs = outputs_and_grads(theirs, inputs)
    assert out_ours.shape == out_theirs.shape, (out_ours.shape, out_theirs.shape)
    assert out_ours.dtype == out_theirs.dtype, (out_ours.dtype, out_theirs.dtype)
    torch.testing.assert_close(out_ours, out_theirs, rtol=rtol, atol=atol, equal_nan=equal_nan)
    assert len(grads_ours) == len(grads_theirs)
    for g_ours, g_theirs in zip(grads_ours, grads_theirs, strict=True):
        assert torch.isfinite(g_ours).all()
        torch.testing.assert_close(g_ours, g_theirs, rtol=rtol, atol=atol)


def torch_error(fn):
    """The exception that fn() raises (the test fails if it raises none)."""
    with pytest.raises(Exception) as info:  # noqa: PT011 (any type: the caller compares ours with it)
        fn()
    return info.value


def sphinx_build(root, *, extensions, fresh=True, status=None, **overrides):
    """Build the Sphinx project at `root` (MyST pages, no conf.py) to HTML; return (app, warnings text).

    Each build registers Sphinx's nodes and directives with docutils; the namespace undoes that afterwards,
    so that a second build in the same process does not warn that they are already registered.
    """
    import io

    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    warnings = io.StringIO()
    with docutils_namespace():
        app = Sphinx(
            srcdir=str(root),
            confdir=None,
            outdir=str(root / "_build" / "html"),
            doctreedir=str(root / "_build" / "doctrees"),
            buildername="html",
            confoverrides={
                "extensions": ["myst_parser", *extensions],
                "exclude_patterns": ["_build"],
                "master_doc": "index",
                **overrides,
            },
            status=status,
            warning=warnings,
            freshenv=fresh,
        )
        app.build()
    return app, warnings.getvalue()
