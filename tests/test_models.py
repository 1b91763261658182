"""dlnotes.models: the MLP builder, TinyGPT and evaluate, against hand-built torch modules and counts."""

import math

import pytest
import torch
import torch.nn.functional as F

from dlnotes.models import Evaluation, GPTConfig, TinyGPT, evaluate, mlp
from tests.helpers import DEVICES

ACTIVATIONS = {
    "relu": torch.nn.ReLU,
    "gelu": torch.nn.GELU,
    "tanh": torch.nn.Tanh,
    "sigmoid": torch.nn.Sigmoid,
    "silu": torch.nn.SiLU,
}


def _by_hand(sizes, *, bias=True, activation="relu", batch_norm=False):
    """The same network written out layer by layer with torch.nn."""
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1], bias=bias))
        if i < len(sizes) - 2:
            if batch_norm:
                layers.append(torch.nn.BatchNorm1d(sizes[i + 1]))
            layers.append(ACTIVATIONS[activation]())
    return torch.nn.Sequential(*layers)


def _same_state(a, b):
    sa, sb = a.state_dict(), b.state_dict()
    return sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)


# ---------------------------------------------------------------------------------------------------------
# mlp


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("batch_norm", [False, True])
def test_mlp_layers(activation, batch_norm):
    net = mlp([64, 32, 16, 10], activation=activation, batch_norm=batch_norm)
    hidden = [torch.nn.Linear, torch.nn.BatchNorm1d, ACTIVATIONS[activation]]
    if not batch_norm:
        hidden.remove(torch.nn.BatchNorm1d)
    assert [type(m) for m in net] == 2 * hidden + [torch.nn.Linear]
    assert [(m.in_features, m.out_features) for m in net if isinstance(m, torch.nn.Linear)] == [
        (64, 32), (32, 16), (16, 10),
    ]  # fmt: skip


@pytest.mark.parametrize("sizes", [[3, 5], [64, 32, 10], [64, 128, 128, 10], [8, 1, 1, 1, 2]])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("batch_norm", [False, True])
def test_mlp_parameter_count(sizes, bias, batch_norm):
    # each Linear: d_in * d_out weights (+ d_out biases); each hidden BatchNorm1d: a gain and a shift per unit
    expected = sum(a * b + (b if bias else 0) for a, b in zip(sizes[:-1], sizes[1:]))
    expected += sum(2 * d for d in sizes[1:-1]) if batch_norm else 0
    net = mlp(sizes, bias=bias, batch_norm=batch_norm)
    assert sum(p.numel() for p in net.parameters()) == expected
    assert all(m.bias is None for m in net if isinstance(m, torch.nn.Linear)) == (not bias)


@pytest.mark.parametrize("batch_norm", [False, True])
def test_mlp_is_the_network_written_by_hand(batch_norm):
    torch.manual_seed(0)
    ours = mlp([64, 32, 32, 10], activation="tanh", batch_norm=batch_norm).eval()
    torch.manual_seed(0)
    theirs = _by_hand([64, 32, 32, 10], activation="tanh", batch_norm=batch_norm).eval()
    assert _same_state(ours, theirs)
    x = torch.randn(5, 64, generator=torch.Generator().manual_seed(1))
    assert torch.equal(ours(x), theirs(x))


@pytest.mark.parametrize("seed", [0, 3, 2**64 - 1])
def test_a_seed_gives_torch_manual_seeds_weights(seed):
    torch.manual_seed(seed)
    expected = _by_hand([64, 64, 64, 10], batch_norm=True)
    assert _same_state(mlp([64, 64, 64, 10], batch_norm=True, seed=seed), expected)


def test_a_seed_leaves_the_global_generator_alone():
    torch.manual_seed(123)
    state = torch.get_rng_state()
    a = mlp([16, 8, 4], seed=1)
    assert torch.equal(torch.get_rng_state(), state)
    b = mlp([16, 8, 4], seed=1)
    c = mlp([16, 8, 4], seed=2)
    assert _same_state(a, b) and not _same_state(a, c)


def test_without_a_seed_the_global_generator_draws():
    torch.manual_seed(5)
    a = mlp([16, 8, 4])
    b = mlp([16, 8, 4])
    assert not _same_state(a, b)  # two draws in a row
    torch.manual_seed(5)
    assert _same_state(mlp([16, 8, 4]), a)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((64,), {}, TypeError, "sizes must be a sequence of ints, got int"),
        (("64,10",), {}, TypeError, "sizes must be a sequence of ints, got str"),
        (([64],), {}, ValueError, r"at least an input and an output width, got \[64\]"),
        (([64, 0, 10],), {}, ValueError, r"sizes\[1\] must be >= 1, got 0"),
        (([64, 2.0, 10],), {}, TypeError, r"sizes\[1\] must be an int, got float"),
        (([64, 10],), dict(activation="swish"), ValueError, "activation must be one of .*got 'swish'"),
        (([64, 10],), dict(bias=1), TypeError, "bias must be a bool, got int"),
        (([64, 10],), dict(batch_norm="yes"), TypeError, "batch_norm must be a bool, got str"),
        (([64, 10],), dict(seed=0.5), TypeError, "seed must be an int, got float"),
        (([64, 10],), dict(seed=False), TypeError, "seed must be an int, got bool"),
        (([64, 10],), dict(seed=-1), ValueError, "seed must be in .*got -1"),
        (([64, 10],), dict(seed=2**64), ValueError, "seed must be in .*got 18446744073709551616"),
    ],
)
def test_mlp_input_errors(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        mlp(*args, **kwargs)


# ---------------------------------------------------------------------------------------------------------
# TinyGPT


def _gpt_parameter_count(V, T, C, L, m):
    """Embeddings, L blocks, the final LayerNorm and the bias-free head, counted from the architecture."""
    layer_norm = 2 * C  # gain and shift
    attention = (C * 3 * C + 3 * C) + (C * C + C)  # qkv and output projections
    feed_forward = (C * m * C + m * C) + (m * C * C + C)
    block = 2 * layer_norm + attention + feed_forward
    return V * C + T * C + L * block + layer_norm + C * V


@pytest.mark.parametrize(
    "cfg",
    [
        GPTConfig(),
        GPTConfig(vocab=11, seq_len=8, hidden=16, heads=2, layers=1),
        GPTConfig(vocab=50, seq_len=32, hidden=48, heads=6, layers=3, ffn_mult=2),
    ],
)
def test_tinygpt_parameter_count(cfg):
    model = TinyGPT(cfg)
    expected = _gpt_parameter_count(cfg.vocab, cfg.seq_len, cfg.hidden, cfg.layers, cfg.ffn_mult)
    assert sum(p.numel() for p in model.parameters()) == expected
    assert len(model.blocks) == cfg.layers and model.head.bias is None


@pytest.mark.parametrize("device", DEVICES)
def test_tinygpt_forward_and_causality(device):
    torch.manual_seed(0)
    model = TinyGPT(GPTConfig(vocab=13, seq_len=8, hidden=16, heads=4, layers=2)).to(device).eval()
    idx = torch.randint(0, 13, (3, 8), generator=torch.Generator().manual_seed(1)).to(device)
    logits = model(idx)
    assert logits.shape == (3, 8, 13) and logits.dtype == torch.float32
    # changing the last token changes no earlier position's logits
    changed = idx.clone()
    changed[:, -1] = (changed[:, -1] + 1) % 13
    torch.testing.assert_close(model(changed)[:, :-1], logits[:, :-1])
    assert model(idx[:, :5]).shape == (3, 5, 13)


def test_tinygpt_errors():
    model = TinyGPT(GPTConfig(vocab=11, seq_len=8, hidden=16, heads=2, layers=1))
    with pytest.raises(TypeError, match="cfg must be a GPTConfig, got dict"):
        TinyGPT({"vocab": 11})
    with pytest.raises(TypeError, match=r"idx must be a \(B, T\) LongTensor"):
        model(torch.zeros(2, 3))
    with pytest.raises(TypeError, match=r"idx must be a \(B, T\) LongTensor"):
        model(torch.zeros(3, dtype=torch.long))
    with pytest.raises(ValueError, match=r"sequence length must be <= cfg\.seq_len=8, got 9"):
        model(torch.zeros(1, 9, dtype=torch.long))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (dict(hidden=10, heads=4), ValueError, "hidden must be a multiple of heads, got hidden=10, heads=4"),
        (dict(layers=0), ValueError, "layers must be >= 1, got 0"),
        (dict(vocab=2.0), TypeError, "vocab must be an int, got float"),
        (dict(dropout=1.0), ValueError, "dropout must be in"),
        (dict(dropout="0.1"), TypeError, "dropout must be a real number, got str"),
    ],
)
def test_gptconfig_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        GPTConfig(**kwargs)


# ---------------------------------------------------------------------------------------------------------
# evaluate


def _classifier(seed=0):
    torch.manual_seed(seed)
    return torch.nn.Sequential(
        torch.nn.Linear(6, 8), torch.nn.BatchNorm1d(8), torch.nn.ReLU(), torch.nn.Dropout(0.5),
        torch.nn.Linear(8, 3),
    )  # fmt: skip


def _data(n=40, seed=0):
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(n, 6, generator=gen), torch.randint(0, 3, (n,), generator=gen)


@pytest.mark.parametrize("device", DEVICES)
def test_evaluate_is_the_eval_mode_loss_and_accuracy(device):
    model, (X, y) = _classifier().to(device), (t.to(device) for t in _data())
    model.train()
    with torch.no_grad():  # one training pass, so that the running statistics are not the initial ones
        model(X)
    result = evaluate(model, X, y)
    model.eval()
    with torch.no_grad():
        logits = model(X)
    assert isinstance(result, Evaluation) and isinstance(result.loss, float)
    assert result.loss == F.cross_entropy(logits, y).item()
    assert result.accuracy == (logits.argmax(1) == y).float().mean().item()
    loss, accuracy = result
    assert math.isclose(accuracy, sum(logits.argmax(1).eq(y).tolist()) / len(y), rel_tol=1e-6)
    assert 0 <= accuracy <= 1 and loss > 0


@pytest.mark.parametrize("training", [True, False])
def test_evaluate_restores_the_mode_and_changes_nothing(training):
    model, (X, y) = _classifier(), _data()
    model.train(training)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    evaluate(model, X, y)
    assert model.training is training and all(m.training is training for m in model.modules())
    # no BatchNorm statistics updated, no gradient recorded
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    assert all(p.grad is None for p in model.parameters())


def test_evaluate_restores_the_mode_after_an_error():
    model = _classifier().train()
    with pytest.raises(RuntimeError):
        evaluate(model, torch.zeros(4, 5), torch.zeros(4, dtype=torch.long))  # 5 features, not 6
    assert model.training


def test_evaluate_is_deterministic_with_dropout():
    model, (X, y) = _classifier().train(), _data()
    assert evaluate(model, X, y) == evaluate(model, X, y)


X26, Y2 = torch.zeros(2, 6), torch.zeros(2, dtype=torch.long)


@pytest.mark.parametrize(
    ("model", "X", "y", "error", "match"),
    [
        (lambda x: x, X26, Y2, TypeError, "model must be a torch.nn.Module, got function"),
        (None, [[0.0] * 6] * 2, Y2, TypeError, "X must be a torch.Tensor, got list"),
        (None, X26, [0, 1], TypeError, "y must be a torch.Tensor, got list"),
        (None, X26, torch.zeros(2), TypeError, "y must be a tensor of class indices.*float32"),
        (None, X26, torch.zeros(2, dtype=torch.bool), TypeError, "class indices.*torch.bool"),
        (None, X26, Y2[:, None], ValueError, r"y must be one-dimensional, got shape \(2, 1\)"),
        (None, torch.zeros(3, 6), Y2, ValueError, r"same length, got X \(3, 6\) and y \(2,\)"),
    ],
)
def test_evaluate_input_errors(model, X, y, error, match):
    with pytest.raises(error, match=match):
        evaluate(_classifier() if model is None else model, X, y)


# ---------------------------------------------------------------------------------------------------------
# Structure and errors (moved from the memory tests).


def test_mlp_structure():
    model = mlp([4, 6, 5, 3], activation="gelu", bias=False)
    kinds = [type(m).__name__ for m in model]
    assert kinds == ["Linear", "GELU", "Linear", "GELU", "Linear"]
    assert all(m.bias is None for m in model if isinstance(m, torch.nn.Linear))
    assert model(torch.randn(2, 4)).shape == (2, 3)


def test_mlp_errors():
    with pytest.raises(ValueError, match="sizes must list at least an input and an output width"):
        mlp([4])
    with pytest.raises(ValueError, match=r"sizes\[1\] must be >= 1, got 0"):
        mlp([4, 0, 2])
    with pytest.raises(ValueError, match=r"activation must be one of .*got 'swish'"):
        mlp([4, 2], activation="swish")
    with pytest.raises(TypeError, match="sizes must be a sequence of ints, got str"):
        mlp("42")


def test_tinygpt_attention_is_causal_self_attention():
    # The written-out attention equals torch's fused causal attention (float64).
    torch.manual_seed(0)
    cfg = GPTConfig(vocab=13, seq_len=9, hidden=12, heads=3, layers=1)
    block = TinyGPT(cfg).double().blocks[0]
    a = torch.randn(2, 9, 12, dtype=torch.float64)
    mask = torch.ones(9, 9, dtype=torch.bool).triu(1)
    q, k, v = block.qkv(a).split(12, dim=2)
    heads = [t.view(2, 9, 3, 4).transpose(1, 2) for t in (q, k, v)]
    y = F.scaled_dot_product_attention(*heads, is_causal=True).transpose(1, 2).reshape(2, 9, 12)
    torch.testing.assert_close(block.attention(a, mask), block.proj(y))


def test_tinygpt_future_tokens_do_not_change_past_logits():
    torch.manual_seed(0)
    model = TinyGPT(GPTConfig(vocab=17, seq_len=10, hidden=16, heads=4, layers=2)).double()
    idx = torch.randint(17, (2, 10))
    changed = idx.clone()
    changed[:, 6:] = (changed[:, 6:] + 1) % 17
    a, b = model(idx), model(changed)
    torch.testing.assert_close(a[:, :6], b[:, :6])
    assert not torch.allclose(a[:, 6:], b[:, 6:])


def test_gpt_config_and_tinygpt_errors():
    with pytest.raises(ValueError, match="hidden must be a multiple of heads, got hidden=10, heads=4"):
        GPTConfig(hidden=10, heads=4)
    with pytest.raises(ValueError, match="layers must be >= 1, got 0"):
        GPTConfig(layers=0)
    with pytest.raises(ValueError, match=r"dropout must be in \[0, 1\), got 1.0"):
        GPTConfig(dropout=1.0)
    with pytest.raises(TypeError, match="cfg must be a GPTConfig, got dict"):
        TinyGPT({"vocab": 3})
    model = TinyGPT(GPTConfig(vocab=5, seq_len=4, hidden=8, heads=2, layers=1))
    with pytest.raises(ValueError, match=r"sequence length must be <= cfg\.seq_len=4, got 5"):
        model(torch.zeros(1, 5, dtype=torch.long))
    with pytest.raises(TypeError, match=r"idx must be a \(B, T\) LongTensor"):
        model(torch.zeros(1, 4))
