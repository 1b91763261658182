"""Wrong solutions of the drills in dlnotes.drill.coding.catalogue.lr_schedules."""

import math

from tests.drill.coding.wrong import wrong


@wrong("warmup-cosine", fails="warmup and decay")
def cosine_clock_not_shifted(step, *, base_lr, warmup_steps, total_steps, eta_min=0.0):
    """Runs the cosine on the global step, π t / T, without subtracting the warmup steps."""
    if step >= total_steps:
        return eta_min
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    return eta_min + 0.5 * (base_lr - eta_min) * (1 + math.cos(math.pi * step / total_steps))


@wrong("warmup-cosine", fails="warmup and decay")
def warmup_off_by_one(step, *, base_lr, warmup_steps, total_steps, eta_min=0.0):
    """Warms up with (t + 1)/W "so that step 0 is not wasted": the peak arrives one step early."""
    if step >= total_steps:
        return eta_min
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return eta_min + 0.5 * (base_lr - eta_min) * (1 + math.cos(math.pi * progress))


@wrong("warmup-cosine", fails="eta_min")
def cosine_ignores_eta_min_span(step, *, base_lr, warmup_steps, total_steps, eta_min=0.0):
    """Adds η_min to the cosine of the full rate: it starts at η0 + η_min and ends at η_min."""
    if step >= total_steps:
        return eta_min
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return eta_min + 0.5 * base_lr * (1 + math.cos(math.pi * progress))


@wrong("warmup-cosine", fails="no warmup")
def warmup_up_to_and_including_w(step, *, base_lr, warmup_steps, total_steps, eta_min=0.0):
    """Treats step W as the last warmup step (t <= W): the same rate there, but 0/0 when W = 0."""
    if step >= total_steps:
        return eta_min
    if step <= warmup_steps:
        return base_lr * step / warmup_steps
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return eta_min + 0.5 * (base_lr - eta_min) * (1 + math.cos(math.pi * progress))


@wrong("warmup-cosine", fails="past the end")
def cosine_climbs_after_the_end(step, *, base_lr, warmup_steps, total_steps, eta_min=0.0):
    """No hold at η_min: past T the cosine climbs back up (what torch's CosineAnnealingLR does)."""
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return eta_min + 0.5 * (base_lr - eta_min) * (1 + math.cos(math.pi * progress))
