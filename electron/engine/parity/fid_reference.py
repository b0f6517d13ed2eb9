#!/usr/bin/env python3
"""Reference side of the quality-metric parity tests (python3-torch, python3-torchvision, python3-scipy).

  fid_reference.py frechet A B        FD between the 'features' [n,d] of bundles A and B, as pytorch-fid computes
                                      it: numpy float64 mean/cov, scipy.linalg.sqrtm of the product. Prints JSON.
  fid_reference.py kid A B            unbiased MMD^2 with k(x,y) = (x.y/d + 1)^3 over all rows (one subset).
  fid_reference.py inception --seed S --images BUNDLE --out DIR
                                      builds the FID variant of Inception-v3 (pytorch-fid's architecture, written
                                      here from torchvision's blocks) with random weights whose batch-norm
                                      statistics are calibrated on noise (so activations stay O(1) through 94
                                      layers), saves its state dict as DIR/weights.pth (zip) and
                                      DIR/weights-legacy.pth (the pre-1.6 format), and writes DIR/features with the
                                      pool3 features of the 'images' [n,h,w,3] in [0,1] of BUNDLE, computed in
                                      float64 (so the comparison measures the engine's float32 error alone).
"""
import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tensor_bundle  # noqa: E402


def load_features(path):
    return raw_array(tensor_bundle.read_bundle(path)[0]["features"]).astype(np.float64)


def raw_array(t):
    return np.frombuffer(t.data, dtype="<f4").reshape(t.shape)


def frechet(a, b):
    from scipy import linalg

    mu1, mu2 = a.mean(0), b.mean(0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    diff = mu1 - mu2
    covmean, _ = linalg.sqrtm(s1.dot(s2), disp=False)
    if not np.isfinite(covmean).all():
        offset = np.eye(s1.shape[0]) * 1e-6
        covmean = linalg.sqrtm((s1 + offset).dot(s2 + offset))
    covmean = covmean.real
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def kid(a, b):
    d = a.shape[1]
    m = min(a.shape[0], b.shape[0])
    a, b = a[:m], b[:m]
    kxx = (a @ a.T / d + 1) ** 3
    kyy = (b @ b.T / d + 1) ** 3
    kxy = (a @ b.T / d + 1) ** 3
    off = lambda k: k.sum() - np.trace(k)  # noqa: E731
    return float((off(kxx) + off(kyy)) / (m * (m - 1)) - 2 * kxy.sum() / (m * m))


def fid_inception():
    """Inception-v3 as pytorch-fid builds it for FID: TF's average pooling (padding not counted) in the A, C and
    E blocks, and max pooling in the last E block's pool branch, as in the 2015-12-05 TensorFlow graph."""
    import torch.nn.functional as F
    from torchvision.models import inception as tv

    class A(tv.InceptionA):
        def forward(self, x):
            b5 = self.branch5x5_2(self.branch5x5_1(x))
            b3 = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
            bp = self.branch_pool(F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False))
            return torch.cat([self.branch1x1(x), b5, b3, bp], 1)

    class C(tv.InceptionC):
        def forward(self, x):
            b7 = self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x)))
            bd = x
            for layer in (self.branch7x7dbl_1, self.branch7x7dbl_2, self.branch7x7dbl_3, self.branch7x7dbl_4,
                          self.branch7x7dbl_5):
                bd = layer(bd)
            bp = self.branch_pool(F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False))
            return torch.cat([self.branch1x1(x), b7, bd, bp], 1)

    class E(tv.InceptionE):
        max_pool = False

        def forward(self, x):
            b3 = self.branch3x3_1(x)
            b3 = torch.cat([self.branch3x3_2a(b3), self.branch3x3_2b(b3)], 1)
            bd = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
            bd = torch.cat([self.branch3x3dbl_3a(bd), self.branch3x3dbl_3b(bd)], 1)
            if self.max_pool:
                pooled = F.max_pool2d(x, 3, stride=1, padding=1)
            else:
                pooled = F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False)
            return torch.cat([self.branch1x1(x), b3, bd, self.branch_pool(pooled)], 1)

    class E2(E):
        max_pool = True

    import torch

    net = tv.Inception3(num_classes=1008, aux_logits=False, init_weights=False)
    net.Mixed_5b, net.Mixed_5c, net.Mixed_5d = A(192, pool_features=32), A(256, pool_features=64), A(288, 64)
    net.Mixed_6b, net.Mixed_6c = C(768, channels_7x7=128), C(768, channels_7x7=160)
    net.Mixed_6d, net.Mixed_6e = C(768, channels_7x7=160), C(768, channels_7x7=192)
    net.Mixed_7b, net.Mixed_7c = E(1280), E2(2048)
    return net


def pool3(net, images):
    """pytorch-fid's InceptionV3([3]) forward: bilinear resize to 299 (align_corners=False), [0,1] -> [-1,1]."""
    import torch
    import torch.nn.functional as F

    x = F.interpolate(images, size=(299, 299), mode="bilinear", align_corners=False)
    x = 2 * x - 1
    for name in ("Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3"):
        x = getattr(net, name)(x)
    x = F.max_pool2d(x, 3, stride=2)
    x = net.Conv2d_4a_3x3(net.Conv2d_3b_1x1(x))
    x = F.max_pool2d(x, 3, stride=2)
    for name in ("Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e",
                 "Mixed_7a", "Mixed_7b", "Mixed_7c"):
        x = getattr(net, name)(x)
    return torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)


def inception(seed, images_path, out):
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    net = fid_inception()
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, torch.nn.Conv2d):
                torch.nn.init.kaiming_normal_(m.weight)
            elif isinstance(m, torch.nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
                m.momentum = None  # cumulative average: one pass sets the running stats to that batch's
        net.train()
        pool3(net, torch.rand(4, 3, 64, 64))
        net.eval()
        for m in net.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.momentum = 0.1
        os.makedirs(out, exist_ok=True)
        state = net.state_dict()
        torch.save(state, os.path.join(out, "weights.pth"))
        torch.save(state, os.path.join(out, "weights-legacy.pth"), _use_new_zipfile_serialization=False)
        nhwc = torch.tensor(raw_array(tensor_bundle.read_bundle(images_path)[0]["images"]).copy())
        net.double()
        features = pool3(net, nhwc.permute(0, 3, 1, 2).contiguous().double()).float()
        net.float()
    tensor_bundle.write_bundle(os.path.join(out, "features"), {"features": features.contiguous()})
    print(json.dumps({"features": list(features.shape)}))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("frechet", "kid"):
        s = sub.add_parser(name)
        s.add_argument("a")
        s.add_argument("b")
    s = sub.add_parser("inception")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--images", required=True)
    s.add_argument("--out", required=True)
    args = p.parse_args()
    if args.cmd == "inception":
        inception(args.seed, args.images, args.out)
    else:
        a, b = load_features(args.a), load_features(args.b)
        value = frechet(a, b) if args.cmd == "frechet" else kid(a, b)
        print(json.dumps({args.cmd: value}))


if __name__ == "__main__":
    main()
