"""Each public name users imported before the package was split by topic still imports, from its old path.

The table is the `__all__` of each module as it was (commit be3b3f0, the flat layout); the split may add names
and new homes, never take an old path away. Names added since are listed with the module that defines them,
and their package must re-export that object. Also checks that each module's `__all__` names exist.
"""

import importlib
import pkgutil

import pytest

import dlnotes

# module -> the names of its __all__ before the split
BEFORE_THE_SPLIT = {
    "dlnotes": ["__version__", "get_device", "set_seed"],
    "dlnotes.utils": ["DEVICE_ENV_VAR", "set_seed", "get_device"],
    "dlnotes.probability": ["total_probability", "bayes_posterior"],
    "dlnotes.optim": [
        "SGD", "Adagrad", "RMSprop", "Adadelta", "Adam", "AdamW", "clip_grad_norm_",
        "step_lr", "cosine_annealing", "linear_warmup", "warmup_cosine",
    ],
    "dlnotes.init": [
        "calculate_gain", "calculate_fan_in_and_fan_out", "zeros_", "uniform_", "normal_",
        "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_", "orthogonal_",
    ],
    "dlnotes.nn": [
        "sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "sigmoid_derivative", "tanh_derivative",
        "relu_derivative", "leaky_relu_derivative", "elu_derivative", "gelu_derivative", "softmax",
        "log_softmax", "nll_loss", "cross_entropy", "batch_norm", "layer_norm",
        "scaled_dot_product_attention", "dropout", "conv_output_size", "unfold", "conv2d", "conv2d_naive",
        "max_pool2d", "avg_pool2d", "GELU_TANH_SCALE", "GELU_TANH_CUBIC",
    ],
    "dlnotes.metrics": [
        "UndefinedMetricWarning", "AVERAGE_OPTIONS", "confusion_matrix", "accuracy_score",
        "precision_score", "recall_score", "f1_score", "roc_curve", "roc_auc_score",
        "precision_recall_curve", "average_precision_score", "mean_squared_error", "mean_absolute_error",
        "root_mean_squared_error", "r2_score",
    ],
    "dlnotes.losses": ["dice_loss", "jaccard_loss", "tversky_loss", "focal_loss", "mean_iou"],
    "dlnotes.cluster": ["KMeansResult", "kmeans_plusplus", "kmeans"],
    "dlnotes.memory": [
        "KiB", "MiB", "GiB", "dtype_bytes", "tensor_bytes", "format_bytes", "MemoryReport", "OPTIMIZERS",
        "optimizer_state_bytes", "bytes_per_parameter", "zero_bytes_per_parameter", "estimate_mlp",
        "estimate_transformer", "mlp", "GPTConfig", "TinyGPT", "measure_training_step",
        "measure_inference", "saved_tensor_bytes",
    ],
    "dlnotes.questions": [
        "BOOK_ENV_VAR", "DEFAULT_EXTENSIONS", "Question", "QuestionError", "book_extensions",
        "find_book_root", "glue_values", "load_questions", "parse_chapter", "role_text", "toc_chapters",
    ],
    "dlnotes.quiz": [
        "BOX_INTERVALS", "DATA_ENV_VAR", "Card", "ProgressError", "answer_text", "backup_corrupt",
        "data_dir", "load_progress", "progress_path", "reset_progress", "review", "save_progress",
        "session",
    ],
    "dlnotes.anki": [
        "DECK_ID", "DECK_NAME", "MODEL_ID", "answer_html", "build_deck", "note_tags", "write_deck",
    ],
    "dlnotes.sphinxext": [
        "QuestionBankDirective", "BilingualGlossaryTerms", "summary_sentence", "group_questions", "setup",
    ],
    "dlnotes.cli": ["build_parser", "main"],
}  # fmt: skip

# Where the names live now: the old path must give the very same object.
NEW_HOMES = {
    "dlnotes.losses": "dlnotes.nn.losses",
    "dlnotes.questions": "dlnotes.drill.questions",
    "dlnotes.quiz": "dlnotes.drill.quiz",
    "dlnotes.anki": "dlnotes.drill.anki",
    "dlnotes.sphinxext": "dlnotes.drill.sphinxext",
}


# Public names added after the split: package -> {name: the module that defines it}.
ADDED_SINCE = {
    "dlnotes.nn": {"multi_head_attention": "dlnotes.nn.attention"},
}


@pytest.mark.parametrize("package", sorted(ADDED_SINCE))
def test_new_names_are_exported_by_their_package(package):
    pkg = importlib.import_module(package)
    for name, module in ADDED_SINCE[package].items():
        mod = importlib.import_module(module)
        assert name in pkg.__all__ and name in mod.__all__, f"{package}.{name}"
        assert getattr(pkg, name) is getattr(mod, name), f"{package}.{name} is not {module}.{name}"


@pytest.mark.parametrize("module", sorted(BEFORE_THE_SPLIT))
def test_old_names_still_import(module):
    mod = importlib.import_module(module)
    missing = [name for name in BEFORE_THE_SPLIT[module] if not hasattr(mod, name)]
    assert not missing, f"{module} lost {missing}"


@pytest.mark.parametrize(("old", "new"), sorted(NEW_HOMES.items()))
def test_old_paths_give_the_new_objects(old, new):
    old_mod, new_mod = importlib.import_module(old), importlib.import_module(new)
    for name in BEFORE_THE_SPLIT[old]:
        assert getattr(old_mod, name) is getattr(new_mod, name), f"{old}.{name}"


def _modules():
    yield "dlnotes"
    for info in pkgutil.walk_packages(dlnotes.__path__, "dlnotes."):
        if not info.name.endswith("__main__"):  # importing it runs the command
            yield info.name


@pytest.mark.parametrize("module", sorted(_modules()))
def test_every_name_in_all_exists(module):
    mod = importlib.import_module(module)
    names = getattr(mod, "__all__", [])
    assert len(names) == len(set(names)), f"{module}.__all__ lists a name twice"
    missing = [name for name in names if not hasattr(mod, name)]
    assert not missing, f"{module}.__all__ names what it does not define: {missing}"
