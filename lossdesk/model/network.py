"""A small fully connected network (a multilayer perceptron) as a predictor.

Layer l maps the previous layer's activations a_{l−1} (shape (n, n_{l−1})) to

    z_l = a_{l−1} W_lᵀ + b_l,   a_l = φ(z_l)        (W_l shaped (n_l, n_{l−1}), torch.nn.Linear)

with a_0 = X and φ the chosen activation on every hidden layer; the last layer has no
activation, so the output is raw: a value, a logit, or K logits. The objective applies the
loss's link (σ or softmax) exactly as it does for the linear models.

Backpropagation (exact, no finite differences): with δ_L = dC/dz_L from the loss,

    δ_{l−1} = (δ_l W_l) ⊙ φ′(z_{l−1}),   dC/dW_l = δ_lᵀ a_{l−1},   dC/db_l = Σᵢ δ_l.

θ is flat, layer by layer: W_1 row by row, then b_1, then W_2, b_2, … (the order of a
PyTorch ``state_dict``). With no hidden layer the network is the linear model: the
``Line``/``Logistic``/``Softmax`` parameters m = θ_lin.reshape(K, d + 1) map to
W = m[:, :−1], b = m[:, −1] (``from_linear_params`` does this).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

from lossdesk.model.predictors import as_features

ACTIVATIONS = ("tanh", "relu", "sigmoid", "identity")
MAX_HIDDEN_LAYERS = 4
MAX_WIDTH = 64
#: more parameters than this and a network no longer trains live in the window
MAX_PARAMS = 20_000

Layers = list[tuple[np.ndarray, np.ndarray]]


# ------------------------------------------------------------------------ activations
def activate(name: str, z: np.ndarray) -> np.ndarray:
    """φ(z) for one of ``ACTIVATIONS``."""
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "sigmoid":
        # σ(z) = ½(1 + tanh(z/2)): one ufunc, nothing overflows
        out = np.tanh(0.5 * z)
        out += 1.0
        out *= 0.5
        return out
    return z


def activation_slope(name: str, z: np.ndarray, a: np.ndarray) -> np.ndarray:
    """φ′(z), written with a = φ(z) where that is cheaper."""
    if name == "tanh":
        return 1.0 - a * a
    if name == "relu":
        return (z > 0).astype(z.dtype)
    if name == "sigmoid":
        return a * (1.0 - a)
    return np.ones_like(z)


def parse_hidden(text: str) -> tuple[int, ...]:
    """Layer widths from text such as "8,8" or "16 16" ("" or "none": no hidden layer)."""
    cleaned = str(text).replace(",", " ").replace(";", " ").split()
    if not cleaned or (len(cleaned) == 1 and cleaned[0].lower() in ("none", "0", "-")):
        return ()
    widths = []
    for part in cleaned:
        try:
            widths.append(int(part))
        except ValueError:
            raise ValueError(f"hidden layer widths must be whole numbers, not {part!r}") from None
    return tuple(widths)


# ----------------------------------------------------------------------- pass records
@dataclass(frozen=True)
class ForwardPass:
    """Everything the forward pass computed, per layer.

    ``activations`` holds a_0 = X, a_1 … a_L (n, n_l) (a_L = z_L, the raw output);
    ``pre_activations`` holds z_1 … z_L.
    """

    activations: tuple[np.ndarray, ...]
    pre_activations: tuple[np.ndarray, ...]

    @property
    def output(self) -> np.ndarray:
        """The raw output z_L, shape (n, K) (also for K = 1)."""
        return self.activations[-1]


@dataclass(frozen=True)
class BackwardPass:
    """dC/dz (δ), dC/dW and dC/db per layer 1 … L, and the flat gradient dC/dθ.

    Sums over the examples given (not means): the objective divides by n.
    """

    deltas: tuple[np.ndarray, ...]  # δ_l, (n, n_l)
    weight_gradients: tuple[np.ndarray, ...]  # (n_l, n_{l−1})
    bias_gradients: tuple[np.ndarray, ...]  # (n_l,)
    gradient: np.ndarray  # (n_params,), θ's layout


@dataclass(frozen=True)
class ExampleSignals:
    """One example's trip through the network and back.

    ``values[l]`` are the neuron values a_l (a_0 the input, a_L the raw output),
    ``pre_activations[l − 1]`` z_l, ``deltas[l − 1]`` δ_l = dL/dz_l, and
    ``weight_shares[l − 1]`` = δ_l ⊗ a_{l−1}, ``bias_shares[l − 1]`` = δ_l: this example's
    part of each weight's gradient (already multiplied by ``weight``; pass 1/n to get its
    share of the mean cost's gradient). ``gradient`` is the same, flat in θ's layout.
    """

    values: tuple[np.ndarray, ...]
    pre_activations: tuple[np.ndarray, ...]
    deltas: tuple[np.ndarray, ...]
    weight_shares: tuple[np.ndarray, ...]
    bias_shares: tuple[np.ndarray, ...]
    gradient: np.ndarray


# ---------------------------------------------------------------------------- network
@dataclass(frozen=True)
class MLP:
    """raw(θ, X) of a fully connected network; plugs into ``Objective`` like a linear model.

    ``hidden`` holds 0 to 4 layer widths of 1 to 64 (none: plain line, logistic or softmax
    regression); ``activation`` is applied on every hidden layer, never on the output.
    """

    n_features: int = 2
    hidden: tuple[int, ...] = (8,)
    n_outputs: int = 1
    activation: str = "tanh"

    def __post_init__(self) -> None:
        def whole(value: Any, what: str) -> int:
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                if isinstance(value, numbers.Real) and float(value).is_integer():
                    return int(value)
                raise ValueError(f"{what} must be a whole number, not {value!r}")
            return int(value)

        n_features = whole(self.n_features, "the number of features")
        n_outputs = whole(self.n_outputs, "the number of outputs")
        if n_features < 1:
            raise ValueError("a network needs at least one input feature")
        if n_outputs < 1:
            raise ValueError("a network needs at least one output")
        raw_hidden = (self.hidden,) if isinstance(self.hidden, numbers.Number) else self.hidden
        if isinstance(raw_hidden, str):
            raw_hidden = parse_hidden(raw_hidden)
        try:
            hidden = tuple(whole(w, "a hidden layer width") for w in raw_hidden)
        except TypeError:
            raise ValueError(f"hidden must be a list of layer widths, not {self.hidden!r}") from None
        if len(hidden) > MAX_HIDDEN_LAYERS:
            raise ValueError(f"at most {MAX_HIDDEN_LAYERS} hidden layers, not {len(hidden)}")
        for w in hidden:
            if not 1 <= w <= MAX_WIDTH:
                raise ValueError(f"each hidden layer needs 1 to {MAX_WIDTH} neurons, not {w}")
        activation = str(self.activation).lower()
        if activation not in ACTIVATIONS:
            raise ValueError(
                f"unknown activation {self.activation!r}; choose one of {', '.join(ACTIVATIONS)}"
            )
        object.__setattr__(self, "n_features", n_features)
        object.__setattr__(self, "n_outputs", n_outputs)
        object.__setattr__(self, "hidden", hidden)
        object.__setattr__(self, "activation", activation)
        if self.n_params > MAX_PARAMS:
            raise ValueError(
                f"this network has {self.n_params} weights, more than the {MAX_PARAMS} that train live"
            )

    # ------------------------------------------------------------------ layout
    @property
    def sizes(self) -> tuple[int, ...]:
        """Neurons per layer, input to output: (n_features, *hidden, n_outputs)."""
        return (self.n_features, *self.hidden, self.n_outputs)

    @property
    def architecture(self) -> str:
        """The layer sizes as people write them, e.g. "2-16-16-1"."""
        return "-".join(str(n) for n in self.sizes)

    @property
    def n_layers(self) -> int:
        """Weight layers (hidden layers + the output layer)."""
        return len(self.hidden) + 1

    @property
    def layer_shapes(self) -> tuple[tuple[int, int], ...]:
        """(n_out, n_in) of each W."""
        s = self.sizes
        return tuple((s[l + 1], s[l]) for l in range(self.n_layers))

    @property
    def n_params(self) -> int:
        return sum(o * i + o for o, i in self.layer_shapes)

    def _offsets(self) -> list[tuple[int, int, int]]:
        """(start of W, start of b, end of b) of each layer in θ."""
        out, start = [], 0
        for o, i in self.layer_shapes:
            out.append((start, start + o * i, start + o * i + o))
            start += o * i + o
        return out

    @property
    def param_names(self) -> tuple[str, ...]:
        """"W1[j,k]" (layer 1, neuron j, input k) and "b1[j]", in θ's order."""
        names: list[str] = []
        for l, (o, i) in enumerate(self.layer_shapes, start=1):
            names += [f"W{l}[{j},{k}]" for j in range(o) for k in range(i)]
            names += [f"b{l}[{j}]" for j in range(o)]
        return tuple(names)

    def weight_mask(self) -> np.ndarray:
        """True at the entries of θ that are weights, False at the biases."""
        mask = np.zeros(self.n_params, bool)
        for w0, b0, _ in self._offsets():
            mask[w0:b0] = True
        return mask

    def layers(self, theta: Any) -> Layers:
        """θ as [(W_1, b_1), …, (W_L, b_L)], W_l shaped (n_out, n_in); views, not copies."""
        theta = self._checked(theta)
        return [
            (theta[w0:b0].reshape(shape), theta[b0:end])
            for (w0, b0, end), shape in zip(self._offsets(), self.layer_shapes)
        ]

    def flatten(self, layers: Layers) -> np.ndarray:
        """The inverse of ``layers``: [(W, b), …] as a flat θ."""
        if len(layers) != self.n_layers:
            raise ValueError(f"expected {self.n_layers} layers, got {len(layers)}")
        parts = []
        for (W, b), (o, i) in zip(layers, self.layer_shapes):
            W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
            if W.shape != (o, i) or b.shape != (o,):
                raise ValueError(f"a layer needs W of shape {(o, i)} and b of shape {(o,)}")
            parts += [W.ravel(), b]
        return np.concatenate(parts)

    def from_linear_params(self, theta_linear: Any) -> np.ndarray:
        """A ``Line``/``Logistic``/``Softmax`` θ (rows of [w…, b]) in this network's layout.

        Only for a network with no hidden layer, where the two models are the same function.
        """
        if self.hidden:
            raise ValueError("only a network without hidden layers is a linear model")
        m = np.asarray(theta_linear, dtype=float).reshape(self.n_outputs, self.n_features + 1)
        return self.flatten([(m[:, :-1], m[:, -1])])

    def _checked(self, theta: Any) -> np.ndarray:
        theta = np.asarray(theta, dtype=float)
        if theta.shape != (self.n_params,):
            raise ValueError(f"this network has {self.n_params} parameters, θ has shape {theta.shape}")
        return theta

    # ----------------------------------------------------------- initialisation
    def initial_params(self, seed: int = 0) -> np.ndarray:
        """Seeded random weights scaled by fan-in and fan-out, biases 0.

        Layers feeding a ReLU draw He-normal weights, N(0, 2/n_in); the others (and the
        output layer) Glorot-uniform, U(±√(6/(n_in + n_out))). Same seed, same θ.
        """
        rng = np.random.default_rng(int(seed))
        layers: Layers = []
        for l, (o, i) in enumerate(self.layer_shapes):
            if self.activation == "relu" and l < len(self.hidden):
                W = rng.normal(0.0, math.sqrt(2.0 / i), size=(o, i))
            else:
                limit = math.sqrt(6.0 / (i + o))
                W = rng.uniform(-limit, limit, size=(o, i))
            layers.append((W, np.zeros(o)))
        return self.flatten(layers)

    # -------------------------------------------------------------------- forward
    def forward(self, theta: Any, x: Any) -> ForwardPass:
        """Every layer's z and a for the examples X (n, n_features)."""
        X = as_features(x)
        acts, pres = [X], []
        layers = self.layers(theta)
        a = X
        for l, (W, b) in enumerate(layers):
            z = a @ W.T
            z += b
            pres.append(z)
            a = activate(self.activation, z) if l < len(layers) - 1 else z
            acts.append(a)
        return ForwardPass(tuple(acts), tuple(pres))

    def raw(self, theta: Any, x: Any) -> np.ndarray:
        """The network's output: shape (n,) for one output, (n, K) for several."""
        X = as_features(x)
        layers = self.layers(theta)
        a = X
        last = len(layers) - 1
        for l, (W, b) in enumerate(layers):
            a = a @ W.T
            a += b
            if l < last:
                a = activate(self.activation, a)
        return a[:, 0] if self.n_outputs == 1 else a

    def raw_many(self, thetas: Any, x: Any) -> np.ndarray:
        """raw for a stack of parameter vectors at once: (m, n) or (m, n, K) for θs (m, P)."""
        thetas = np.asarray(thetas, dtype=float)
        if thetas.ndim != 2 or thetas.shape[1] != self.n_params:
            raise ValueError(f"expected θs of shape (m, {self.n_params}), got {thetas.shape}")
        X = as_features(x)
        m = thetas.shape[0]
        a: np.ndarray = X  # (n, d), broadcast against each θ's first layer
        last = self.n_layers - 1
        for l, ((w0, b0, end), (o, i)) in enumerate(zip(self._offsets(), self.layer_shapes)):
            W = thetas[:, w0:b0].reshape(m, o, i)
            b = thetas[:, b0:end]
            a = np.matmul(a, W.transpose(0, 2, 1))  # (m, n, o)
            a += b[:, None, :]
            if l < last:
                a = activate(self.activation, a)
        return a[..., 0] if self.n_outputs == 1 else a

    # ------------------------------------------------------------------- backward
    def backward(self, theta: Any, forward: ForwardPass, g_z: Any) -> BackwardPass:
        """Backpropagate dC/d raw (``g_z``, shaped like ``raw``'s output) through the layers."""
        layers = self.layers(theta)
        g = np.asarray(g_z, dtype=float)
        delta = g[:, None] if g.ndim == 1 else g
        L = len(layers)
        deltas: list[np.ndarray] = [delta]
        for l in range(L - 1, 0, -1):  # δ_{l−1} = (δ_l W_l) ⊙ φ′(z_{l−1})
            W = layers[l][0]
            delta = delta @ W
            delta *= activation_slope(self.activation, forward.pre_activations[l - 1],
                                      forward.activations[l])
            deltas.append(delta)
        deltas.reverse()
        dW = tuple(d.T @ a for d, a in zip(deltas, forward.activations[:-1]))
        db = tuple(d.sum(axis=0) for d in deltas)
        flat = np.concatenate([part for pair in zip(dW, db) for part in (pair[0].ravel(), pair[1])])
        return BackwardPass(tuple(deltas), dW, db, flat)

    def param_gradient(self, x: Any, g_z: Any, theta: Any = None) -> np.ndarray:
        """Chain rule: Σᵢ dC/dθ from dC/d raw (shape like ``raw``'s output) at θ.

        Unlike a linear model's, a network's backward step depends on θ, so ``theta`` is
        required (the objective passes it).
        """
        if theta is None:
            raise ValueError("a network's gradient depends on its weights: pass theta")
        return self.backward(theta, self.forward(theta, x), g_z).gradient

    def basis(self, x: Any, j: int) -> np.ndarray:
        """Not defined: a network's output is not linear in θ."""
        raise ValueError(
            "a network's output is not linear in its weights; "
            "draw its loss with lossdesk.model.landscape.plane_surface"
        )

    # ----------------------------------------------------------- for the views
    def example_signals(self, theta: Any, x_row: Any, g_z_row: Any, weight: float = 1.0) -> ExampleSignals:
        """One example's forward pass, its δ per layer and its part of each weight's gradient.

        ``x_row`` (n_features,), ``g_z_row`` its dL/d raw (a number or (K,)), e.g. from
        ``output_gradients``; ``weight`` scales the gradient shares (1/n: share of the cost's).
        """
        x = np.asarray(x_row, dtype=float).reshape(1, self.n_features)
        g = np.asarray(g_z_row, dtype=float).reshape(1, self.n_outputs) * float(weight)
        fw = self.forward(theta, x)
        bw = self.backward(theta, fw, g)
        return ExampleSignals(
            values=tuple(a[0] for a in fw.activations),
            pre_activations=tuple(z[0] for z in fw.pre_activations),
            deltas=tuple(d[0] for d in bw.deltas),
            weight_shares=bw.weight_gradients,
            bias_shares=bw.bias_gradients,
            gradient=bw.gradient,
        )

    def gradient_norms_per_layer(self, grad: Any) -> np.ndarray:
        """‖dC/dW_l‖ (Frobenius) of each layer l = 1 … L, from a flat gradient."""
        return np.array([float(np.linalg.norm(W)) for W, _ in self.layers(grad)])


def output_gradients(objective: Any, theta: Any, rows: Any = None) -> np.ndarray:
    """dL_i/d raw_i for each example (not divided by n), exactly as the objective's chain rule.

    Shape (n,) for one output, (n, K) for several. Found by running the objective's own
    ``cost_and_gradient`` with a stand-in predictor whose "parameters" are the raw outputs,
    so the link and cross-entropy shortcuts are the objective's and never copied here.
    """
    from dataclasses import replace

    x = objective.x if rows is None else objective.x[rows]
    z = objective.predictor.raw(theta, x)
    stand_in = _GivenOutput(z, objective.predictor.n_features, objective.predictor.n_outputs)
    probe = replace(objective, predictor=stand_in)
    _, g = probe.cost_and_gradient(np.zeros(0), rows)
    return g.reshape(z.shape) * z.shape[0]


@dataclass(frozen=True, eq=False)
class _GivenOutput:
    """A predictor that returns fixed raw outputs and passes dC/d raw straight through."""

    z: np.ndarray
    n_features: int
    n_outputs: int

    def raw(self, theta: Any, x: Any) -> np.ndarray:
        return self.z

    def param_gradient(self, x: Any, g_z: np.ndarray, theta: Any = None) -> np.ndarray:
        return np.asarray(g_z, dtype=float).ravel()
