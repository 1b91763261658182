"""Wrong solutions of the drills in dlnotes.drill.coding.catalogue.initialization."""

import math

from tests.drill.coding.wrong import wrong

# --- xavier-uniform-bound -----------------------------------------------------------------------------------


@wrong("xavier-uniform-bound", fails="linear layer")
def xavier_bound_is_the_std(shape, gain=1.0):
    """Returns the standard deviation g √(2 / (fan_in + fan_out)): the bound is √3 times larger."""
    receptive = math.prod(shape[2:])
    return gain * math.sqrt(2 / (shape[1] * receptive + shape[0] * receptive))


@wrong("xavier-uniform-bound", fails="tanh gain")
def xavier_bound_without_gain(shape, gain=1.0):
    """Forgets the gain."""
    receptive = math.prod(shape[2:])
    return math.sqrt(6 / (shape[1] * receptive + shape[0] * receptive))


@wrong("xavier-uniform-bound", fails="tanh gain")
def xavier_bound_gain_inside_the_root(shape, gain=1.0):
    """Multiplies the variance by g instead of g²: √(6 g / (fan_in + fan_out))."""
    receptive = math.prod(shape[2:])
    return math.sqrt(6 * gain / (shape[1] * receptive + shape[0] * receptive))


@wrong("xavier-uniform-bound", fails="conv2d kernel")
def xavier_bound_without_receptive_field(shape, gain=1.0):
    """Takes the fans of a convolution as its channel counts, without the kernel size."""
    return gain * math.sqrt(6 / (shape[0] + shape[1]))


@wrong("xavier-uniform-bound", fails="conv2d kernel")
def xavier_bound_receptive_field_in_fan_in_only(shape, gain=1.0):
    """Counts the kernel in the fan-in (in · kh · kw) but not in the fan-out (out)."""
    return gain * math.sqrt(6 / (shape[1] * math.prod(shape[2:]) + shape[0]))


# --- he-normal-std ------------------------------------------------------------------------------------------


def _fans(shape):
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


@wrong("he-normal-std", fails="linear layer, fan_in")
def he_std_fans_swapped(shape, a=0.0, mode="fan_in"):
    """Reads an (out, in) weight as (in, out): fan-in and fan-out swapped."""
    fan_out, fan_in = _fans(shape)
    fan = fan_in if mode == "fan_in" else fan_out
    return math.sqrt(2 / (1 + a**2)) / math.sqrt(fan)


@wrong("he-normal-std", fails="linear layer, fan_in")
def he_std_is_the_variance(shape, a=0.0, mode="fan_in"):
    """Returns the variance 2 / fan, not its square root."""
    fan_in, fan_out = _fans(shape)
    fan = fan_in if mode == "fan_in" else fan_out
    return 2 / (1 + a**2) / fan


@wrong("he-normal-std", fails="linear layer, fan_out")
def he_std_ignores_mode(shape, a=0.0, mode="fan_in"):
    """Always divides by the fan-in."""
    fan_in, _ = _fans(shape)
    return math.sqrt(2 / (1 + a**2)) / math.sqrt(fan_in)


@wrong("he-normal-std", fails="leaky ReLU slope")
def he_std_slope_not_squared(shape, a=0.0, mode="fan_in"):
    """Gain √(2 / (1 + a)): the slope enters the second moment squared."""
    fan_in, fan_out = _fans(shape)
    fan = fan_in if mode == "fan_in" else fan_out
    return math.sqrt(2 / (1 + a)) / math.sqrt(fan)


@wrong("he-normal-std", fails="conv2d kernel, fan_in")
def he_std_without_receptive_field(shape, a=0.0, mode="fan_in"):
    """Takes the fans of a convolution as its channel counts, without the kernel size."""
    fan = shape[1] if mode == "fan_in" else shape[0]
    return math.sqrt(2 / (1 + a**2)) / math.sqrt(fan)
