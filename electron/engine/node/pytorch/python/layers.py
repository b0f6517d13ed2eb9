"""Layers shared by the generated blocks, with SAGAN Studio's engine semantics (NCHW, float32).

Spectral normalisation follows torch.nn.utils.spectral_norm: the weight is viewed as a matrix [out, -1], a
persistent unit vector u (buffer ``weight_u``) gets one power iteration per training forward, eps is 1e-12, and
sigma = u . (W v) with u and v held constant, so the gradient flows through W only. Unlike torch's version, an
eval-mode forward recomputes v from the stored u (torch reuses the v of the last training step), exactly as the
engine does, so images sampled here match the ones SAGAN Studio draws from the same weights.
Batch norm is PyTorch's own (batch statistics in training, unbiased running variance, running statistics in eval).
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

SN_EPS = 1e-12


def spectral_sigma(weight, u, training):
    """sigma of ``weight`` viewed as [out, -1]; in training, one power-iteration step first updates u in place."""
    matrix = weight.reshape(weight.shape[0], -1)
    with torch.no_grad():
        v = F.normalize(torch.mv(matrix.t(), u), dim=0, eps=SN_EPS)
        if training:
            u.copy_(F.normalize(torch.mv(matrix, v), dim=0, eps=SN_EPS))
    # A copy of u: the next training forward updates the buffer in place while this graph may still need it.
    return torch.dot(u.clone(), torch.mv(matrix, v))


class SpectralWeight(nn.Module):
    """Base of the layers below: a ``weight`` parameter, normalised by its spectral norm when ``spectral_norm``."""

    def init_spectral_norm(self, spectral_norm, rows):
        self.spectral_norm = spectral_norm
        if spectral_norm:
            self.register_buffer("weight_u", F.normalize(torch.randn(rows), dim=0, eps=SN_EPS))

    def normalized_weight(self):
        if not self.spectral_norm:
            return self.weight
        return self.weight / spectral_sigma(self.weight, self.weight_u, self.training)


def torch_default_init(weight, bias, fan_in):
    """PyTorch's default for Conv2d and Linear: kaiming_uniform(a=sqrt(5)), i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in))."""
    nn.init.kaiming_uniform_(weight, a=math.sqrt(5))
    if bias is not None:
        bound = 1 / math.sqrt(fan_in)
        nn.init.uniform_(bias, -bound, bound)


class SNConv2d(SpectralWeight):
    """Conv with stride 1 and "same" padding (odd kernel), optionally spectrally normalised."""

    def __init__(self, in_channels, out_channels, kernel_size, spectral_norm=True, bias=True):
        super().__init__()
        self.padding = kernel_size // 2
        self.weight = nn.Parameter(torch.empty(out_channels, in_channels, kernel_size, kernel_size))
        self.bias = nn.Parameter(torch.empty(out_channels)) if bias else None
        torch_default_init(self.weight, self.bias, in_channels * kernel_size * kernel_size)
        self.init_spectral_norm(spectral_norm, out_channels)

    def forward(self, x):
        return F.conv2d(x, self.normalized_weight(), self.bias, padding=self.padding)


class SNLinear(SpectralWeight):
    """Fully connected layer, optionally spectrally normalised."""

    def __init__(self, in_features, out_features, spectral_norm=True, bias=True):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(out_features, in_features))
        self.bias = nn.Parameter(torch.empty(out_features)) if bias else None
        torch_default_init(self.weight, self.bias, in_features)
        self.init_spectral_norm(spectral_norm, out_features)

    def forward(self, x):
        return F.linear(x, self.normalized_weight(), self.bias)


class SNEmbedding(SpectralWeight):
    """Class embedding [num_classes, dim]; as torch's spectral_norm on nn.Embedding, u has one entry per class."""

    def __init__(self, num_classes, dim, spectral_norm=True):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(num_classes, dim))
        self.init_spectral_norm(spectral_norm, num_classes)

    def forward(self, y):
        return F.embedding(y, self.normalized_weight())


class ConditionalBatchNorm2d(nn.Module):
    """Batch norm without its own affine, then a per-class scale gamma[y] (starts at 1) and shift beta[y] (at 0)."""

    def __init__(self, channels, num_classes, eps=1e-5, momentum=0.1):
        super().__init__()
        self.bn = nn.BatchNorm2d(channels, eps=eps, momentum=momentum, affine=False)
        self.gamma = nn.Embedding(num_classes, channels)
        self.beta = nn.Embedding(num_classes, channels)
        nn.init.ones_(self.gamma.weight)
        nn.init.zeros_(self.beta.weight)

    def forward(self, x, y):
        return self.bn(x) * self.gamma(y)[:, :, None, None] + self.beta(y)[:, :, None, None]


def make_norm(kind, channels, num_classes):
    """The normalisation of a residual block: "cbn", "bn" (PyTorch defaults) or "none" (None)."""
    if kind == "cbn":
        return ConditionalBatchNorm2d(channels, num_classes)
    if kind == "bn":
        return nn.BatchNorm2d(channels)
    return None


def apply_norm(norm, x, y):
    """Runs a norm made by make_norm (conditional ones take the labels)."""
    if norm is None:
        return x
    if isinstance(norm, ConditionalBatchNorm2d):
        if y is None:
            raise ValueError("This block uses conditional batch norm and needs the class labels y.")
        return norm(x, y)
    return norm(x)


def upsample_nearest(x, factor=2):
    """Nearest-neighbour upsampling: each value becomes a factor x factor square."""
    return F.interpolate(x, scale_factor=factor, mode="nearest")


def avg_pool_2x(x):
    """2x2 average pooling, stride 2."""
    return F.avg_pool2d(x, 2)
